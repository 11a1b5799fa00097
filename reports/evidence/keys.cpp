// Ed25519 via OpenSSL 3 EVP (see keys.h).
#include "reports/evidence/keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "core/util/hash.h"

namespace vigil::reports::evidence {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct FileClose {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Result<Pkey> load(const std::string& path, bool priv) {
  std::unique_ptr<std::FILE, FileClose> f(std::fopen(path.c_str(), "rb"));
  if (!f) return Error{path, "cannot open key"};
  Pkey key(priv ? PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr)
                : PEM_read_PUBKEY(f.get(), nullptr, nullptr, nullptr));
  if (!key) return Error{path, priv ? "not a PEM private key" : "not a PEM public key"};
  if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) return Error{path, "not an Ed25519 key"};
  return key;
}

Result<std::string> raw_fingerprint(EVP_PKEY* key, const std::string& where) {
  unsigned char raw[32];
  std::size_t len = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1 || len != 32)
    return Error{where, "cannot read the raw public key"};
  return sha256_hex(std::string_view(reinterpret_cast<char*>(raw), len));
}

}  // namespace

Result<std::string> keygen(const std::string& key_path, const std::string& pub_path) {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) return Error{"", "Ed25519 key generation failed"};
  // O_EXCL + 0600 at creation: the key is never readable by others, not even briefly.
  const int fd = ::open(key_path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0)
    return Error{key_path, errno == EEXIST ? "exists; refusing to overwrite a key"
                                           : "cannot create key file"};
  ::fchmod(fd, 0600);
  std::unique_ptr<std::FILE, FileClose> f(::fdopen(fd, "wb"));
  if (!f) {
    ::close(fd);
    return Error{key_path, "cannot write key"};
  }
  if (PEM_write_PrivateKey(f.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      std::fflush(f.get()) != 0)
    return Error{key_path, "cannot write key"};
  f.reset();
  std::unique_ptr<std::FILE, FileClose> p(std::fopen(pub_path.c_str(), "wb"));
  if (!p || PEM_write_PUBKEY(p.get(), key.get()) != 1 || std::fflush(p.get()) != 0)
    return Error{pub_path, "cannot write public key"};
  return raw_fingerprint(key.get(), pub_path);
}

Result<std::string> sign(const std::string& key_path, std::string_view message) {
  auto key = load(key_path, true);
  if (!key) return key.error();
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  unsigned char sig[64];
  std::size_t len = sizeof sig;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key->get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &len, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1)
    return Error{key_path, "signing failed"};
  return std::string(reinterpret_cast<char*>(sig), len);
}

Status verify(const std::string& pub_path, std::string_view message, std::string_view signature) {
  auto key = load(pub_path, false);
  if (!key) return key.error();
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key->get()) != 1)
    return Error{pub_path, "cannot initialise verification"};
  if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1)
    return Error{"", "signature does not verify"};
  return ok_status();
}

Result<std::string> fingerprint(const std::string& path, bool is_private) {
  auto key = load(path, is_private);
  if (!key) return key.error();
  return raw_fingerprint(key->get(), path);
}

}  // namespace vigil::reports::evidence

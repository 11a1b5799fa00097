#include "core/util/hash.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace vigil {
namespace {

// Fetched once: EVP_sha256() makes every EVP_DigestInit_ex look the
// implementation up again (a lock and a search per finding of an import).
const EVP_MD* sha256_md() {
  static EVP_MD* const kMd = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return kMd ? kMd : EVP_sha256();
}

// Two lower-case hex digits per byte, from `out` on.
void write_hex(std::span<const std::uint8_t> bytes, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::uint8_t b : bytes) {
    *out++ = kHex[b >> 4];
    *out++ = kHex[b & 0xf];
  }
}

}  // namespace

void Sha256::Deleter::operator()(evp_md_ctx_st* ctx) const {
  EVP_MD_CTX_free(ctx);
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  // Allocation failure of a digest context is not recoverable input error.
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), sha256_md(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: cannot initialise SHA-256");
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t len) {
  if (len) EVP_DigestUpdate(ctx_.get(), data, len);
}

void Sha256::digest(std::uint8_t out[32]) {
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_.get(), out, &n);
  EVP_DigestInit_ex(ctx_.get(), sha256_md(), nullptr);
}

std::string Sha256::hex() {
  std::string out;
  hex(out);
  return out;
}

void Sha256::hex(std::string& out) {
  std::uint8_t d[32];
  digest(d);
  out.resize(64);
  write_hex(d, out.data());
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  std::string out(bytes.size() * 2, '\0');
  write_hex(bytes, out.data());
  return out;
}

std::string sha256_hex(std::string_view data) {
  std::string out;
  sha256_hex(data, out);
  return out;
}

void sha256_hex(std::string_view data, std::string& out) {
  // One context per thread, reset by hex(): a fingerprint per imported
  // finding made allocating and initialising a fresh one show in profiles.
  thread_local Sha256 h;
  h.update(data);
  h.hex(out);
}

}  // namespace vigil

#include "scanner/certs/parse.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

#include "core/util/hash.h"

namespace vigil::scanner::certs {
namespace {

template <typename T, void (*F)(T*)>
struct Free {
  void operator()(T* p) const { F(p); }
};
using X509Ptr = std::unique_ptr<X509, Free<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Free<BIO, BIO_free_all>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY, EVP_PKEY_free>>;

std::string name_str(const X509_NAME* n) {
  BioPtr b(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(b.get(), n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* p = nullptr;
  const long len = BIO_get_mem_data(b.get(), &p);
  return std::string(p ? p : "", static_cast<std::size_t>(len > 0 ? len : 0)).substr(0, 1024);
}

Micros asn1_time(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<Micros>(timegm(&tm)) * 1000000;
}

void key_facts(EVP_PKEY* k, std::string& type, int& bits, std::string* curve) {
  if (!k) return;
  bits = EVP_PKEY_get_bits(k);
  const char* tn = EVP_PKEY_get0_type_name(k);
  type = tn ? tn : "unknown";
  if (type == "rsaEncryption") type = "RSA";
  if (type == "id-ecPublicKey") type = "EC";
  if (curve && EVP_PKEY_base_id(k) == EVP_PKEY_EC) {
    char gname[80] = {};
    std::size_t glen = 0;
    if (EVP_PKEY_get_utf8_string_param(k, "group", gname, sizeof gname, &glen) == 1) *curve = gname;
  }
}

CertInfo cert_info(X509* x) {
  CertInfo c;
  c.subject = name_str(X509_get_subject_name(x));
  c.issuer = name_str(X509_get_issuer_name(x));
  if (const ASN1_INTEGER* s = X509_get0_serialNumber(x)) {
    std::unique_ptr<BIGNUM, Free<BIGNUM, BN_free>> bn(ASN1_INTEGER_to_BN(s, nullptr));
    if (bn) {
      char* hex = BN_bn2hex(bn.get());
      c.serial = hex ? hex : "";
      OPENSSL_free(hex);
    }
  }
  unsigned char* der = nullptr;
  const int len = i2d_X509(x, &der);
  if (len > 0) {
    c.sha256 = sha256_hex(std::string_view(reinterpret_cast<char*>(der), len));
    OPENSSL_free(der);
  }
  c.not_before = asn1_time(X509_get0_notBefore(x));
  c.not_after = asn1_time(X509_get0_notAfter(x));
  const int sig_nid = X509_get_signature_nid(x);
  c.sig_alg = OBJ_nid2ln(sig_nid) ? OBJ_nid2ln(sig_nid) : "unknown";
  int md_nid = 0, pk_nid = 0;
  if (OBJ_find_sigid_algs(sig_nid, &md_nid, &pk_nid) && md_nid != NID_undef)
    c.sig_hash = OBJ_nid2sn(md_nid) ? OBJ_nid2sn(md_nid) : "";
  for (auto& ch : c.sig_hash) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EVP_PKEY* pub = X509_get0_pubkey(x);
  key_facts(pub, c.key_type, c.key_bits, &c.curve);
  // Issued by itself and signed by its own key: names alone would be spoofable.
  // (X509_check_issued would also demand keyCertSign, which self-signed leaves lack.)
  c.self_signed = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0 && pub &&
                  X509_verify(x, pub) == 1;
  c.is_ca = X509_check_ca(x) > 0;
  ERR_clear_error();
  return c;
}

int no_password(char*, int, int, void*) {
  return -1;
}

// OpenSSH's own key format: "openssh-key-v1\0", then a length-prefixed cipher name;
// "none" means the key is stored in clear.
bool openssh_encrypted(std::string_view b64_body, bool& ok) {
  std::string clean;
  for (char ch : b64_body)
    if (ch != '\n' && ch != '\r' && ch != ' ') clean.push_back(ch);
  ok = false;
  if (clean.size() < 24) return false;
  std::string out(clean.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(clean.data()),
                                static_cast<int>(clean.size() / 4 * 4));
  if (n < 0) return false;
  out.resize(static_cast<std::size_t>(n));
  static constexpr std::string_view kMagic{"openssh-key-v1\0", 15};
  if (out.size() < kMagic.size() + 4 || out.compare(0, kMagic.size(), kMagic) != 0) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(out.data()) + kMagic.size();
  const std::size_t len = (std::size_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
  if (len > out.size() - kMagic.size() - 4) return false;
  ok = true;
  return std::string_view(out).substr(kMagic.size() + 4, len) != "none";
}

void parse_block(std::string_view label, std::string_view block, Parsed& out) {
  BioPtr bio(BIO_new_mem_buf(block.data(), static_cast<int>(block.size())));
  if (label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE") {
    X509Ptr x(label == "TRUSTED CERTIFICATE"
                  ? PEM_read_bio_X509_AUX(bio.get(), nullptr, nullptr, nullptr)
                  : PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (x)
      out.certs.push_back(cert_info(x.get()));
    else
      ++out.bad_blocks;
    return;
  }
  const bool traditional =
      label == "RSA PRIVATE KEY" || label == "EC PRIVATE KEY" || label == "DSA PRIVATE KEY";
  if (label == "PRIVATE KEY" || label == "ENCRYPTED PRIVATE KEY" || traditional) {
    KeyInfo k;
    k.format = label == "PRIVATE KEY"             ? "pkcs8"
               : label == "ENCRYPTED PRIVATE KEY" ? "pkcs8-encrypted"
               : label == "RSA PRIVATE KEY"       ? "rsa"
               : label == "EC PRIVATE KEY"        ? "ec"
                                                  : "dsa";
    k.encrypted = label == "ENCRYPTED PRIVATE KEY" ||
                  (traditional && block.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos);
    if (!k.encrypted) {
      PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr));
      if (key)
        key_facts(key.get(), k.key_type, k.key_bits, nullptr);
      else
        ++out.bad_blocks;
    }
    out.keys.push_back(k);
  } else if (label == "OPENSSH PRIVATE KEY") {
    const auto b = block.find('\n');
    const auto e = block.rfind("-----END");
    bool ok = false;
    KeyInfo k;
    k.format = "openssh";
    if (b != std::string_view::npos && e != std::string_view::npos && e > b)
      k.encrypted = openssh_encrypted(block.substr(b + 1, e - b - 1), ok);
    if (!ok) ++out.bad_blocks;
    out.keys.push_back(k);
  }
  ERR_clear_error();
}

}  // namespace

Parsed parse(std::string_view bytes, std::string_view name) {
  Parsed out;
  static constexpr std::string_view kBegin = "-----BEGIN ", kDashes = "-----";
  std::size_t pos = 0;
  bool any = false;
  while ((pos = bytes.find(kBegin, pos)) != std::string_view::npos) {
    const std::size_t lstart = pos + kBegin.size();
    const std::size_t lend = bytes.find(kDashes, lstart);
    if (lend == std::string_view::npos || lend - lstart > 64) break;
    const std::string_view label = bytes.substr(lstart, lend - lstart);
    const std::string end_marker = "-----END " + std::string(label) + "-----";
    const std::size_t epos = bytes.find(end_marker, lend);
    if (epos == std::string_view::npos) {
      ++out.bad_blocks;
      break;
    }
    any = true;
    parse_block(label, bytes.substr(pos, epos + end_marker.size() - pos), out);
    pos = epos + end_marker.size();
  }
  if (any || bytes.empty()) return out;
  // No PEM markers: DER, if the name says it may be one (binary files are everywhere).
  auto ends = [&](std::string_view s) {
    return name.size() >= s.size() && name.substr(name.size() - s.size()) == s;
  };
  if (!(ends(".der") || ends(".cer") || ends(".crt") || ends(".key") || ends(".p8"))) return out;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  if (X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(bytes.size()))); x) {
    out.certs.push_back(cert_info(x.get()));
  } else {
    p = reinterpret_cast<const unsigned char*>(bytes.data());
    if (PkeyPtr k(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(bytes.size()))); k) {
      KeyInfo ki;
      ki.format = "der";
      key_facts(k.get(), ki.key_type, ki.key_bits, nullptr);
      out.keys.push_back(ki);
    }
  }
  ERR_clear_error();
  return out;
}

}  // namespace vigil::scanner::certs

#include "sensor/protocols/tls/certificate.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <cstdio>
#include <memory>
#include <unordered_map>

#include "core/util/hash.h"

namespace vigil::sensor::tls {

namespace {

std::string name_text(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio) return {};
  // RFC 2253 with UTF-8 kept as is (not escaped), the form openssl x509 -nameopt RFC2253 prints.
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, std::size_t(n > 0 ? n : 0));
}

std::string time_text(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string serial_text(const ASN1_INTEGER* s) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(s, nullptr);
  if (!bn) return {};
  char* hex = BN_bn2hex(bn);
  std::string out = hex ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

bool parse_certificate(Bytes der, Json& out) {
  const unsigned char* p = der.data();
  X509* raw = d2i_X509(nullptr, &p, long(der.size()));
  if (!raw) return false;
  std::unique_ptr<X509, decltype(&X509_free)> x(raw, X509_free);
  out["subject"] = name_text(X509_get_subject_name(raw));
  out["issuer"] = name_text(X509_get_issuer_name(raw));
  out["serial"] = serial_text(X509_get0_serialNumber(raw));
  out["not_before"] = time_text(X509_get0_notBefore(raw));
  out["not_after"] = time_text(X509_get0_notAfter(raw));
  if (EVP_PKEY* key = X509_get0_pubkey(raw)) {
    int id = EVP_PKEY_get_base_id(key);
    const char* kt = OBJ_nid2sn(id);
    out["key_type"] = id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "EC" : (kt ? kt : "unknown");
    out["key_bits"] = EVP_PKEY_get_bits(key);
  }
  int sig = X509_get_signature_nid(raw);
  out["signature_algorithm"] = sig ? OBJ_nid2ln(sig) : "unknown";
  Json sans = Json::array();
  if (auto* names = static_cast<GENERAL_NAMES*>(
          X509_get_ext_d2i(raw, NID_subject_alt_name, nullptr, nullptr))) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names) && i < 256; ++i) {
      const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
      if (g->type == GEN_DNS) {
        const ASN1_IA5STRING* s = g->d.dNSName;
        sans.push_back("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                            std::size_t(ASN1_STRING_length(s))));
      } else if (g->type == GEN_IPADD) {
        const ASN1_OCTET_STRING* s = g->d.iPAddress;
        char buf[64] = {};
        int len = ASN1_STRING_length(s);
        if (len == 4 || len == 16)
          inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(s), buf, sizeof buf);
        sans.push_back(std::string("IP:") + buf);
      }
    }
    GENERAL_NAMES_free(names);
  }
  out["sans"] = sans;
  // Self-signed = issued by itself and its own key verifies the signature.
  // (X509_check_issued also demands keyCertSign, which end-entity self-signed certs lack.)
  bool self = X509_NAME_cmp(X509_get_subject_name(raw), X509_get_issuer_name(raw)) == 0;
  if (self) {
    EVP_PKEY* key = X509_get0_pubkey(raw);
    self = key && X509_verify(raw, key) == 1;
  }
  out["self_signed"] = self;
  return true;
}

}  // namespace

bool describe_certificate(Bytes der, Json& out) {
  // A server sends the same chain on every connection, and parsing it (OpenSSL 3
  // key decoders, a signature check for self-signed) costs more than the rest
  // of the session: each worker thread remembers recent certificates by SHA-256.
  constexpr std::size_t kCacheMax = 512;
  thread_local std::unordered_map<std::string, Json> cache;
  std::string sha = vigil::sha256_hex(as_sv(der));
  if (auto it = cache.find(sha); it != cache.end()) {
    out = it->second;
    return true;
  }
  if (!parse_certificate(der, out)) return false;
  out["sha256"] = sha;
  if (cache.size() >= kCacheMax) cache.clear();
  cache.emplace(std::move(sha), out);
  return true;
}

}  // namespace vigil::sensor::tls

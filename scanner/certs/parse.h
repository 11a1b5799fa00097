// What a file holds, as far as the certificate audit cares: X.509 certificates (PEM or
// DER) and private keys (PKCS#8, traditional PEM, OpenSSH), parsed with OpenSSL. Input is
// untrusted: the caller caps the size, every block is parsed separately, failures are
// counted, never fatal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/time.h"

namespace vigil::scanner::certs {

struct CertInfo {
  std::string subject, issuer, serial, sha256;  // sha256 of the DER
  Micros not_before = 0, not_after = 0;
  std::string sig_alg;   // e.g. "sha1WithRSAEncryption"
  std::string sig_hash;  // "sha1", "md5", "sha256"... from the signature algorithm
  std::string key_type;  // "RSA", "EC", "DSA", "ED25519", ...
  int key_bits = 0;
  std::string curve;         // EC only
  bool self_signed = false;  // issuer == subject and the signature verifies with its own key
  bool is_ca = false;
};

struct KeyInfo {
  std::string format;  // "pkcs8", "pkcs8-encrypted", "rsa", "ec", "dsa", "openssh", "der"
  bool encrypted = false;
  std::string key_type;  // when it could be read (unencrypted)
  int key_bits = 0;
};

struct Parsed {
  std::vector<CertInfo> certs;
  std::vector<KeyInfo> keys;
  int bad_blocks = 0;  // PEM blocks that OpenSSL could not parse
};

// `name` (file name) only decides whether a marker-less file is tried as DER.
Parsed parse(std::string_view bytes, std::string_view name);

}  // namespace vigil::scanner::certs

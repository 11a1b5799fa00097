// Ed25519 keys and signatures through OpenSSL EVP (never hand-rolled). Keys are
// PEM files (PKCS#8 private, SubjectPublicKeyInfo public), so an auditor can check
// a bundle with the openssl command line alone (docs/reports.md).
#pragma once

#include <string>
#include <string_view>

#include "core/util/result.h"

namespace vigil::reports::evidence {

// Writes a new private key to key_path (mode 0600, refuses to overwrite) and its
// public key to pub_path. Returns the public key fingerprint (SHA-256 of the raw key).
Result<std::string> keygen(const std::string& key_path, const std::string& pub_path);

// 64-byte Ed25519 signature of message with the private key in key_path.
Result<std::string> sign(const std::string& key_path, std::string_view message);

// Ok when signature is a valid signature of message by the public key in pub_path.
// Error "signature does not verify" otherwise (wrong key or modified message).
Status verify(const std::string& pub_path, std::string_view message, std::string_view signature);

// SHA-256 hex of the raw 32-byte public key in pub_path (what `keygen` printed);
// with is_private, of the public half of the private key in path.
Result<std::string> fingerprint(const std::string& path, bool is_private = false);

}  // namespace vigil::reports::evidence

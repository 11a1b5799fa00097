// `vigil scan certs`: find certificates and private keys (standard locations, paths named
// in nginx/apache/postfix/dovecot configs, home directories, --path) inside a root and
// report expired, expiring, not yet valid, weak keys and signatures, self-signed outside
// trust stores, exposed or misowned private keys, and unencrypted keys in home directories.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/finding/finding.h"
#include "scanner/certs/parse.h"
#include "scanner/walk/walker.h"

namespace vigil::scanner::certs {

struct AuditOptions {
  std::string root = "/";
  std::vector<std::string> paths;  // added to the standard locations
  int warn_days = 30;
  bool homes = true;                  // look for private keys in /root and /home
  Micros now = 0;                     // 0 = the current time (tests pin it)
  std::uint64_t max_file = 1u << 20;  // bigger files are not certificate files
};

struct CertAt {
  std::string path;
  CertInfo cert;
};
struct KeyAt {
  std::string path;
  KeyInfo key;
  struct stat st {};
};

struct AuditReport {
  std::vector<CertAt> certs;
  std::vector<KeyAt> keys;
  std::vector<std::string> config_refs;  // resolved paths taken from service configs
  std::vector<walk::Problem> unreadable;
  std::uint64_t files_examined = 0, bad_blocks = 0;
  std::vector<core::Finding> findings;
};

Result<AuditReport> audit(const AuditOptions& opt, const core::Asset& asset);

}  // namespace vigil::scanner::certs

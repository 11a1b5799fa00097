// Fixture roots for the OVAL oracle: small trees (sshd_config, login.defs, PAM, sysctl.d,
// fstab, accounts, dpkg status, systemd units, permissions...) chosen so SSG definitions
// flip both ways. Built under VIGIL_TEST_TMP, never committed.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace vigil::oracle {

struct Node {
  enum Kind { kFile, kDir, kSymlink, kFifo } kind = kFile;
  std::string path;  // inside the root, absolute ("/etc/passwd")
  std::string data;  // file content or symlink target
  mode_t mode = 0644;
  uid_t uid = 0;
  gid_t gid = 0;
};

struct Fixture {
  std::string name;
  std::string about;
  std::vector<Node> nodes;
};

// Every fixture (at least 10 distinct trees).
std::vector<Fixture> oracle_fixtures();
// Stable hash of a fixture's specification (cache key for oscap results).
std::string fixture_hash(const Fixture& f);
// (Re)creates the tree at dir. Returns an error text, empty on success.
std::string build_fixture(const Fixture& f, const std::string& dir);
// SHA-256 over every path, type, mode, owner and content below dir (no atime/mtime).
std::string hash_tree(const std::string& dir);

}  // namespace vigil::oracle

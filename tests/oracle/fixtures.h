// Fixture roots for the OVAL oracle: small trees (sshd_config, login.defs, PAM, sysctl.d,
// fstab, accounts, dpkg status, systemd units, permissions...) chosen so SSG definitions
// flip both ways. Built under VIGIL_TEST_TMP, never committed.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
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
// Where oscap's answers are kept: $VIGIL_ORACLE_CACHE, else the build's VIGIL_ORACLE_CACHE,
// one subfolder per oscap version. `make test` points its normal and its sanitizer build at
// the same folder, so each oscap evaluation runs once per checkout; cache keys hash everything
// else an answer depends on (content, profile, fixture specification).
std::string oscap_cache_dir();
// An APT_CONFIG file for oscap under a root: the host's apt.conf.d (docker-clean) breaks
// libapt there, so its parts are kept out.
std::string oscap_apt_conf();
// Removes the libapt caches (*.bin) oscap leaves at the top of the root and in var/cache/apt.
void clean_oscap_droppings(const std::string& root);
// Runs job(0..n-1) on as many threads as there are cores. oscap is single-threaded and the
// oracle suite mostly waits on it, so its runs on distinct fixture roots go side by side.
// Jobs must not use Catch2 assertions (not thread-safe): check results afterwards.
void parallel_for(std::size_t n, const std::function<void(std::size_t)>& job);
// SHA-256 over every path, type, mode, owner and content below dir (no atime/mtime).
std::string hash_tree(const std::string& dir);

}  // namespace vigil::oracle

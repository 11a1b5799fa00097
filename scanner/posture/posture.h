// Host posture findings: set-uid/set-gid files that no dpkg package installed,
// world-writable files in system directories, world-writable directories without the
// sticky bit in system directories, and (live host only) listening sockets
// with the owning process, from /proc/net.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/finding/finding.h"
#include "scanner/walk/walker.h"

namespace vigil::scanner::posture {

struct Options {
  std::string root = "/";
  std::vector<std::string> paths = {"/"};  // where set-id / world-writable files are looked for
  bool sockets = true;                     // only ever read on the live host (root "/")
};

struct Socket {
  std::string proto;  // tcp, tcp6, udp, udp6
  std::string address;
  int port = 0;
  std::uint64_t inode = 0;
  int pid = 0;  // 0 when unknown (another namespace, or no permission)
  std::string process;
};

struct Report {
  walk::Stats walk;
  std::size_t packaged_paths = 0;  // from ROOT/var/lib/dpkg/info/*.list
  std::vector<Socket> sockets;
  std::vector<core::Finding> findings;
};

Result<Report> scan(const Options& opt, const core::Asset& asset);

// Files listed by dpkg under the root (read root-confined).
std::unordered_set<std::string> dpkg_files(const std::string& root);
// Listening TCP and bound UDP sockets of the live host, with owners where visible.
std::vector<Socket> listening_sockets(const std::string& proc = "/proc");

}  // namespace vigil::scanner::posture

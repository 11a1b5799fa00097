// Root-confined, read-only file access for collectors (and any other scanner).
// Every path is resolved inside the root like a chroot would: absolute symlinks and ".."
// never leave it. Opens use O_NOFOLLOW|O_NONBLOCK, only regular files are read (FIFOs,
// devices and sockets are refused), reads are capped, and walks detect directory cycles.
// Nothing here writes to the tree or executes anything from it.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"

namespace vigil::scanner::fs {

struct DirEntry {
  std::string name;
  bool is_dir = false;  // from lstat: symlinks to directories are not directories
};

class Root {
 public:
  // `dir` empty or "/" means the live system.
  explicit Root(std::string dir = "/");
  ~Root();
  Root(const Root&) = delete;
  Root& operator=(const Root&) = delete;

  bool ok() const { return fd_ >= 0; }
  bool live() const { return live_; }
  const std::string& dir() const { return dir_; }
  std::size_t read_cap() const { return read_cap_; }
  void set_read_cap(std::size_t bytes) { read_cap_ = bytes; }

  // Resolves `path` (absolute, as seen inside the root) to a symlink-free path relative
  // to the root ("." for the root itself). follow_last: also resolve a final symlink.
  // Error what = "not found" when a component does not exist.
  Result<std::string> resolve(std::string_view path, bool follow_last) const;

  // lstat/stat of a path inside the root; nullopt when it does not exist.
  std::optional<struct stat> lstat(std::string_view path) const;
  std::optional<struct stat> stat(std::string_view path) const;
  // Target text of a symlink (not resolved).
  Result<std::string> readlink(std::string_view path) const;
  // Whole regular file, following symlinks inside the root; over-cap, non-regular and
  // unreadable files are errors with the reason.
  Result<std::string> read_file(std::string_view path) const;
  // Sorted entries of a directory (no "." / "..").
  Result<std::vector<DirEntry>> list_dir(std::string_view path) const;

  // Depth-first walk below `path` (absolute inside root). max_depth < 0: unlimited;
  // 0: only `path`'s direct entries are not descended into. Calls visit(dir_path) for
  // `path` and every subdirectory reached. Never enters /proc or /sys (nor, live, /dev and
  // /run) below the start, never
  // follows symlinks, detects cycles by (dev, inode).
  void walk_dirs(std::string_view path, int max_depth,
                 const std::function<void(const std::string&)>& visit) const;

 private:
  std::string dir_;
  int fd_ = -1;
  bool live_ = true;
  std::size_t read_cap_ = 32u << 20;
};

// Joins an absolute directory and a name ("/" + "etc" = "/etc").
std::string join(std::string_view dir, std::string_view name);
// "/etc/ssh/sshd_config" -> ("/etc/ssh", "sshd_config"); "/" -> ("/", "").
std::pair<std::string, std::string> split(std::string_view path);

}  // namespace vigil::scanner::fs

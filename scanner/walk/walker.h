// A safe, root-confined directory walker shared by the YARA, certificate, FIM and
// posture scanners. It works on directory file descriptors (openat + O_NOFOLLOW), so a
// symlink can never lead it outside the root; it detects directory cycles by (dev, inode),
// skips FIFOs, sockets and devices, never descends into /proc, /sys or /dev, and stays on
// the filesystem of each start path unless told otherwise. Problems are counted and
// listed, never fatal: a scheduled scan must finish even on a host with odd files.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/result.h"

namespace vigil::scanner::walk {

struct Options {
  std::string root = "/";          // host directory that is "/" for the scan
  std::vector<std::string> paths;  // absolute paths inside the root; empty = {"/"}
  // fnmatch(3) globs, matched against the path inside the root and against the name;
  // an excluded directory is not descended into.
  std::vector<std::string> excludes;
  bool one_filesystem = true;
  bool include_symlinks = false;  // report symlinks as entries (FIM); never followed
  // Report each directory that is walked (start directories included) as an entry too
  // (posture: world-writable directories). Skipped ones (excluded, /proc, other
  // filesystems, cycles) are not reported.
  bool include_dirs = false;
  int max_depth = 200;  // bounds the open descriptors (one per level)
};

struct Entry {
  std::string path;  // absolute inside the root, e.g. "/etc/passwd"
  struct stat st {};
  std::string link_target;  // symlinks only (include_symlinks)
};

struct Problem {
  std::string path;
  std::string reason;
};

struct Stats {
  std::uint64_t dirs = 0, files = 0, symlinks = 0, special = 0, excluded = 0;
  std::uint64_t other_fs = 0, pseudo_fs = 0, cycles = 0, too_deep = 0;
  std::vector<Problem> unreadable;   // directories/files that could not be opened
  std::vector<std::string> missing;  // start paths that do not exist
};

struct Tree {
  std::vector<Entry> entries;  // regular files (and symlinks, directories when asked), by path
  Stats stats;
};

// Fails only when the root itself cannot be opened.
Result<Tree> walk(const Options& opt);

// Opens a regular file found by walk() for reading. The open is confined below the root
// (openat2 RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS, else O_NOFOLLOW) and the result is
// re-checked with fstat: a file that is no longer the same regular inode is refused.
class RootDir {
 public:
  explicit RootDir(const std::string& root);
  ~RootDir();
  RootDir(const RootDir&) = delete;
  RootDir& operator=(const RootDir&) = delete;
  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  // Returns an fd the caller closes, or an Error whose `what` is the reason.
  Result<int> open_file(const Entry& e) const;

 private:
  int fd_ = -1;
};

// Resolves the symlinks of `path` the way a chroot at `root` would: absolute targets
// and ".." stay inside the root. Returns the symlink-free absolute path inside the root;
// Error what "not found" when a component is missing, or too many links (40).
Result<std::string> resolve(const RootDir& root, const std::string& path);

// "/" + "etc" -> "/etc"; "/etc" + "x" -> "/etc/x".
std::string join(const std::string& dir, const std::string& name);
// Splits "/a/b" into {"a","b"}; rejects "..".
Result<std::vector<std::string>> components(const std::string& path);
// Host path of an inside-root path ("/srv/img" + "/etc/x" -> "/srv/img/etc/x").
std::string host_path(const std::string& root, const std::string& path);

}  // namespace vigil::scanner::walk

// Root-confined path resolution and reads (see root.h). Resolution is done one
// component at a time with fstatat/readlinkat relative to the root's directory fd, the
// way the kernel would resolve it after chroot(root).
#include "scanner/fs/root.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <set>
#include <utility>

namespace vigil::scanner::fs {
namespace {

constexpr int kMaxSymlinkHops = 40;  // like the kernel's MAXSYMLINKS
constexpr int kMaxWalkDirs = 200000;

std::deque<std::string> components(std::string_view p) {
  std::deque<std::string> out;
  std::size_t i = 0;
  while (i < p.size()) {
    while (i < p.size() && p[i] == '/') ++i;
    std::size_t j = i;
    while (j < p.size() && p[j] != '/') ++j;
    if (j > i) out.emplace_back(p.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string rel_of(const std::vector<std::string>& stack) {
  if (stack.empty()) return ".";
  std::string r;
  for (const auto& c : stack) {
    if (!r.empty()) r += '/';
    r += c;
  }
  return r;
}

}  // namespace

std::string join(std::string_view dir, std::string_view name) {
  std::string r(dir);
  if (r.empty() || r.back() != '/') r += '/';
  r += name;
  return r;
}

std::pair<std::string, std::string> split(std::string_view path) {
  auto pos = path.rfind('/');
  if (pos == std::string_view::npos) return {".", std::string(path)};
  std::string dir(path.substr(0, pos));
  if (dir.empty()) dir = "/";
  return {dir, std::string(path.substr(pos + 1))};
}

Root::Root(std::string dir) : dir_(std::move(dir)) {
  if (dir_.empty()) dir_ = "/";
  live_ = dir_ == "/";
  fd_ = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

Root::~Root() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::string> Root::resolve(std::string_view path, bool follow_last) const {
  if (fd_ < 0) return Error{dir_, "cannot open root directory"};
  std::vector<std::string> stack;
  std::deque<std::string> todo = components(path);
  int hops = 0;
  while (!todo.empty()) {
    std::string c = std::move(todo.front());
    todo.pop_front();
    if (c == ".") continue;
    if (c == "..") {
      if (!stack.empty()) stack.pop_back();  // ".." at the root stays at the root
      continue;
    }
    stack.push_back(c);
    std::string rel = rel_of(stack);
    struct stat st;
    if (::fstatat(fd_, rel.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return Error{std::string(path), "not found"};
      return Error{std::string(path), std::strerror(errno)};
    }
    bool last = todo.empty();
    if (S_ISLNK(st.st_mode) && (!last || follow_last)) {
      if (++hops > kMaxSymlinkHops) return Error{std::string(path), "too many symlinks"};
      char buf[4096];
      ssize_t n = ::readlinkat(fd_, rel.c_str(), buf, sizeof buf);
      if (n < 0 || n == static_cast<ssize_t>(sizeof buf))
        return Error{std::string(path), "unreadable symlink"};
      std::string_view target(buf, static_cast<std::size_t>(n));
      stack.pop_back();
      if (!target.empty() && target[0] == '/') stack.clear();
      auto more = components(target);
      todo.insert(todo.begin(), more.begin(), more.end());
    } else if (!last && !S_ISDIR(st.st_mode)) {
      return Error{std::string(path), "not found"};
    }
  }
  return rel_of(stack);
}

std::optional<struct stat> Root::lstat(std::string_view path) const {
  auto rel = resolve(path, false);
  if (!rel) return std::nullopt;
  struct stat st;
  if (::fstatat(fd_, rel->c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return std::nullopt;
  return st;
}

std::optional<struct stat> Root::stat(std::string_view path) const {
  auto rel = resolve(path, true);
  if (!rel) return std::nullopt;
  struct stat st;
  if (::fstatat(fd_, rel->c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return std::nullopt;
  return st;
}

Result<std::string> Root::readlink(std::string_view path) const {
  auto rel = resolve(path, false);
  if (!rel) return rel.error();
  char buf[4096];
  ssize_t n = ::readlinkat(fd_, rel->c_str(), buf, sizeof buf);
  if (n < 0) return Error{std::string(path), std::strerror(errno)};
  return std::string(buf, static_cast<std::size_t>(n));
}

Result<std::string> Root::read_file(std::string_view path) const {
  auto rel = resolve(path, true);
  if (!rel) return rel.error();
  int fd = ::openat(fd_, rel->c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return Error{std::string(path), std::strerror(errno)};
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error{std::string(path), "not a regular file"};
  }
  if (static_cast<std::uint64_t>(st.st_size) > read_cap_) {
    ::close(fd);
    return Error{std::string(path),
                 "file larger than the read cap (" + std::to_string(read_cap_) + " bytes)"};
  }
  std::string data;
  data.reserve(static_cast<std::size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return Error{std::string(path), std::strerror(errno)};
    }
    if (n == 0) break;
    if (data.size() + static_cast<std::size_t>(n) > read_cap_) {  // file grew under us
      ::close(fd);
      return Error{std::string(path), "file larger than the read cap"};
    }
    data.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return data;
}

Result<std::vector<DirEntry>> Root::list_dir(std::string_view path) const {
  auto rel = resolve(path, true);
  if (!rel) return rel.error();
  int fd =
      ::openat(fd_, rel->c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return Error{std::string(path), std::strerror(errno)};
  DIR* d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    return Error{std::string(path), std::strerror(errno)};
  }
  std::vector<DirEntry> out;
  while (dirent* e = ::readdir(d)) {
    std::string_view n = e->d_name;
    if (n == "." || n == "..") continue;
    DirEntry de{std::string(n), false};
    if (e->d_type == DT_DIR) {
      de.is_dir = true;
    } else if (e->d_type == DT_UNKNOWN) {
      struct stat st;
      if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        de.is_dir = S_ISDIR(st.st_mode);
    }
    out.push_back(std::move(de));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

void Root::walk_dirs(std::string_view path, int max_depth,
                     const std::function<void(const std::string&)>& visit) const {
  std::set<std::pair<dev_t, ino_t>> seen;
  int budget = kMaxWalkDirs;
  std::function<void(const std::string&, int)> rec = [&](const std::string& dir, int depth) {
    if (--budget < 0) return;
    // Pseudo filesystems are never walked into: their files can block on read
    // (/proc/kmsg) or be endless. Explicit paths (/proc/sys/...) are still readable.
    if (depth > 0 && (dir == "/proc" || dir == "/sys")) return;
    if (depth > 0 && live_ && (dir == "/dev" || dir == "/run")) return;  // live devices, sockets
    auto st = this->stat(dir);
    if (!st || !S_ISDIR(st->st_mode)) return;
    if (!seen.insert({st->st_dev, st->st_ino}).second) return;  // cycle (bind mounts)
    visit(dir);
    if (max_depth >= 0 && depth >= max_depth) return;
    auto entries = list_dir(dir);
    if (!entries) return;
    for (const auto& e : *entries)
      if (e.is_dir) rec(join(dir, e.name), depth + 1);
  };
  rec(std::string(path), 0);
}

}  // namespace vigil::scanner::fs

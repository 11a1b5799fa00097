// Root-confined walk on directory descriptors; see walker.h for the rules it enforces.
#include "scanner/walk/walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

namespace vigil::scanner::walk {
namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;

bool is_pseudo_fs(const std::string& path) {
  return path == "/proc" || path == "/sys" || path == "/dev";
}

class Walker {
 public:
  Walker(const Options& opt, Tree& tree) : opt_(opt), tree_(tree) {}

  void start(int root_fd, const std::string& path) {
    auto comps = components(path);
    if (!comps) return tree_.stats.unreadable.push_back({path, comps.error().what});
    // Descend component by component without following anything, so a start path
    // that crosses a symlink is refused instead of leaving the root.
    int cur = ::dup(root_fd);
    std::string at = "/";
    for (std::size_t i = 0; i + 1 < comps->size() && cur >= 0; ++i) {
      int next = ::openat(cur, (*comps)[i].c_str(), kDirFlags);
      const int err = errno;
      ::close(cur);
      cur = next;
      at = join(at, (*comps)[i]);
      if (cur < 0) return missing_or_unreadable(path, at, err);
    }
    if (cur < 0) return tree_.stats.unreadable.push_back({path, std::strerror(errno)});
    if (comps->empty()) {  // the root itself
      struct stat st {};
      if (::fstat(cur, &st) == 0) {
        dev_ = st.st_dev;
        walk_dir(cur, "/", st, 0);  // takes ownership of cur
      } else {
        ::close(cur);
      }
      return;
    }
    const std::string& name = comps->back();
    struct stat st {};
    if (::fstatat(cur, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      const int err = errno;
      ::close(cur);
      return missing_or_unreadable(path, path, err);
    }
    dev_ = st.st_dev;
    visit(cur, name, path, st, 0);
    ::close(cur);
  }

 private:
  void missing_or_unreadable(const std::string& start, const std::string& at, int err) {
    if (err == ENOENT) return tree_.stats.missing.push_back(start);
    if (err == ELOOP || err == ENOTDIR)
      return tree_.stats.unreadable.push_back({start, "not a directory (symlink?): " + at});
    tree_.stats.unreadable.push_back({at, std::strerror(err)});
  }

  bool excluded(const std::string& path, const std::string& name) const {
    for (const auto& g : opt_.excludes)
      if (::fnmatch(g.c_str(), path.c_str(), 0) == 0 || ::fnmatch(g.c_str(), name.c_str(), 0) == 0)
        return true;
    return false;
  }

  // One directory entry, already lstat'ed through its parent's descriptor.
  void visit(int parent, const std::string& name, const std::string& path, const struct stat& st,
             int depth) {
    auto& s = tree_.stats;
    if (excluded(path, name)) return void(++s.excluded);
    if (S_ISREG(st.st_mode)) {
      ++s.files;
      tree_.entries.push_back({path, st, {}});
    } else if (S_ISLNK(st.st_mode)) {
      ++s.symlinks;
      if (!opt_.include_symlinks) return;
      Entry e{path, st, {}};
      std::string buf(4096, '\0');
      const ssize_t n = ::readlinkat(parent, name.c_str(), buf.data(), buf.size());
      if (n < 0) return s.unreadable.push_back({path, std::strerror(errno)});
      e.link_target.assign(buf.data(), static_cast<std::size_t>(n));
      tree_.entries.push_back(std::move(e));
    } else if (S_ISDIR(st.st_mode)) {
      if (is_pseudo_fs(path)) return void(++s.pseudo_fs);
      if (opt_.one_filesystem && st.st_dev != dev_) return void(++s.other_fs);
      if (depth >= opt_.max_depth) {
        ++s.too_deep;
        return s.unreadable.push_back({path, "directory nesting deeper than max depth"});
      }
      const int fd = ::openat(parent, name.c_str(), kDirFlags);
      if (fd < 0) return s.unreadable.push_back({path, std::strerror(errno)});
      struct stat fst {};
      // The directory may have been swapped between lstat and open: trust only fstat.
      if (::fstat(fd, &fst) != 0 || fst.st_dev != st.st_dev || fst.st_ino != st.st_ino) {
        ::close(fd);
        return s.unreadable.push_back({path, "changed during the walk"});
      }
      walk_dir(fd, path, fst, depth + 1);
    } else {
      ++s.special;  // FIFO, socket, device: reading could block or have side effects
    }
  }

  // Owns fd.
  void walk_dir(int fd, const std::string& path, const struct stat& st, int depth) {
    if (!seen_.insert({st.st_dev, st.st_ino}).second) {
      ++tree_.stats.cycles;  // bind mount loop or a directory reached twice
      ::close(fd);
      return;
    }
    ++tree_.stats.dirs;
    if (opt_.include_dirs) tree_.entries.push_back({path, st, {}});
    DIR* d = ::fdopendir(fd);
    if (!d) {
      tree_.stats.unreadable.push_back({path, std::strerror(errno)});
      ::close(fd);
      return;
    }
    std::vector<std::string> names;
    errno = 0;
    while (dirent* de = ::readdir(d)) {
      if (std::strcmp(de->d_name, ".") == 0 || std::strcmp(de->d_name, "..") == 0) continue;
      names.emplace_back(de->d_name);
    }
    if (errno != 0) tree_.stats.unreadable.push_back({path, std::strerror(errno)});
    std::sort(names.begin(), names.end());
    const int dfd = ::dirfd(d);
    for (const auto& name : names) {
      struct stat cst {};
      const std::string child = join(path, name);
      if (::fstatat(dfd, name.c_str(), &cst, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT) tree_.stats.unreadable.push_back({child, std::strerror(errno)});
        continue;
      }
      visit(dfd, name, child, cst, depth);
    }
    ::closedir(d);
  }

  const Options& opt_;
  Tree& tree_;
  dev_t dev_ = 0;
  std::set<std::pair<dev_t, ino_t>> seen_;
};

}  // namespace

std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir == "/") return "/" + name;
  return dir + "/" + name;
}

std::string host_path(const std::string& root, const std::string& path) {
  if (root.empty() || root == "/") return path;
  std::string r = root;
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  return path == "/" ? r : r + path;
}

Result<std::vector<std::string>> components(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string c = path.substr(i, j - i);
    if (c == "..") return Error{path, "'..' is not allowed in a scan path"};
    if (!c.empty() && c != ".") out.push_back(std::move(c));
    i = j + 1;
  }
  return out;
}

Result<std::string> resolve(const RootDir& root, const std::string& path) {
  auto split = [](const std::string& p) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= p.size()) {
      std::size_t j = p.find('/', i);
      if (j == std::string::npos) j = p.size();
      if (j > i && p.compare(i, j - i, ".") != 0) out.push_back(p.substr(i, j - i));
      i = j + 1;
    }
    return out;
  };
  std::vector<std::string> done;  // resolved components: directories, no symlinks
  std::vector<std::string> todo = split(path);
  std::reverse(todo.begin(), todo.end());  // a stack: back() is the next component
  int links = 0;
  auto current = [&] {
    std::string s;
    for (const auto& c : done) s += "/" + c;
    return s.empty() ? std::string("/") : s;
  };
  while (!todo.empty()) {
    std::string c = std::move(todo.back());
    todo.pop_back();
    if (c == "..") {
      if (!done.empty()) done.pop_back();  // ".." at the root stays at the root
      continue;
    }
    done.push_back(c);
    const std::string cur = current();
    struct stat st {};
    if (::fstatat(root.fd(), cur.c_str() + 1, &st, AT_SYMLINK_NOFOLLOW) != 0)
      return Error{path, errno == ENOENT ? "not found" : std::strerror(errno)};
    if (!S_ISLNK(st.st_mode)) continue;
    if (++links > 40) return Error{path, "too many levels of symbolic links"};
    std::string buf(4096, '\0');
    const ssize_t n = ::readlinkat(root.fd(), cur.c_str() + 1, buf.data(), buf.size());
    if (n < 0) return Error{path, std::strerror(errno)};
    buf.resize(static_cast<std::size_t>(n));
    done.pop_back();
    if (!buf.empty() && buf[0] == '/') done.clear();
    auto more = split(buf);
    for (auto it = more.rbegin(); it != more.rend(); ++it) todo.push_back(*it);
  }
  return current();
}

Result<Tree> walk(const Options& opt) {
  RootDir root(opt.root.empty() ? "/" : opt.root);
  if (!root.ok()) return Error{opt.root, std::string("cannot open root: ") + std::strerror(errno)};
  Tree tree;
  std::vector<std::string> paths = opt.paths.empty() ? std::vector<std::string>{"/"} : opt.paths;
  for (const auto& p : paths) {
    // A fresh walker per start path: each stays on its own filesystem.
    Walker w(opt, tree);
    w.start(root.fd(), p.empty() || p[0] != '/' ? "/" + p : p);
  }
  std::sort(tree.entries.begin(), tree.entries.end(),
            [](const Entry& a, const Entry& b) { return a.path < b.path; });
  // Overlapping start paths (/usr and /usr/bin) must not yield a file twice.
  tree.entries.erase(std::unique(tree.entries.begin(), tree.entries.end(),
                                 [](const Entry& a, const Entry& b) { return a.path == b.path; }),
                     tree.entries.end());
  return tree;
}

RootDir::RootDir(const std::string& root)
    : fd_(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {}

RootDir::~RootDir() {
  if (fd_ >= 0) ::close(fd_);
}

Result<int> RootDir::open_file(const Entry& e) const {
  const std::string rel = e.path.size() > 1 ? e.path.substr(1) : ".";
  constexpr int kFlags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
  open_how how{};
  how.flags = kFlags;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  int fd = static_cast<int>(::syscall(SYS_openat2, fd_, rel.c_str(), &how, sizeof how));
  if (fd < 0 && (errno == ENOSYS || errno == EPERM))  // old kernel or seccomp filter
    fd = ::openat(fd_, rel.c_str(), kFlags);
  if (fd < 0) return Error{e.path, std::strerror(errno)};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_dev != e.st.st_dev ||
      st.st_ino != e.st.st_ino) {
    ::close(fd);
    return Error{e.path, "changed since the walk (not the same regular file)"};
  }
  return fd;
}

}  // namespace vigil::scanner::walk

#include "scanner/posture/posture.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace vigil::scanner::posture {
namespace {

constexpr std::uint64_t kMaxListBytes = 16u << 20;

bool under(const std::string& path, const char* dir) {
  const std::size_t n = std::strlen(dir);
  return path.compare(0, n, dir) == 0 && (path.size() == n || path[n] == '/');
}

bool system_dir(const std::string& p) {
  for (const char* d : {"/etc", "/usr", "/bin", "/sbin", "/lib", "/lib64", "/boot", "/opt",
                        "/var/lib", "/var/spool/cron"})
    if (under(p, d)) return true;
  return false;
}

// dpkg on merged-/usr systems still lists /bin/su for what is /usr/bin/su on disk.
bool packaged(const std::unordered_set<std::string>& pkg, const std::string& path) {
  if (pkg.count(path)) return true;
  for (const char* pre : {"/usr/bin/", "/usr/sbin/", "/usr/lib/", "/usr/lib64/"})
    if (path.rfind(pre, 0) == 0 && pkg.count(path.substr(4))) return true;
  for (const char* pre : {"/bin/", "/sbin/", "/lib/", "/lib64/"})
    if (path.rfind(pre, 0) == 0 && pkg.count("/usr" + path)) return true;
  return false;
}

std::string octal(unsigned mode) {
  char b[8];
  std::snprintf(b, sizeof b, "%04o", mode & 07777);
  return b;
}

core::Finding make(const core::Asset& asset, const char* type, core::Severity sev,
                   std::string title, std::string desc, nlohmann::json ev,
                   std::vector<std::string> fp, std::vector<core::Reference> refs, Micros now) {
  core::Finding f;
  f.asset = asset;
  f.source = core::Source::scanner;
  f.type = type;
  f.severity = sev;
  f.title = std::move(title);
  f.description = std::move(desc);
  f.evidence = std::move(ev);
  f.fingerprint_fields = std::move(fp);
  f.references = std::move(refs);
  f.first_seen = f.last_seen = now;
  f.id = core::fingerprint(f);
  return f;
}

// "0100007F:1F90" -> ("127.0.0.1", 8080); IPv6 is four little-endian 32-bit words.
bool parse_addr(const std::string& s, bool v6, std::string& addr, int& port) {
  const auto colon = s.find(':');
  if (colon == std::string::npos) return false;
  const std::string hex = s.substr(0, colon);
  port = static_cast<int>(std::strtol(s.c_str() + colon + 1, nullptr, 16));
  char buf[INET6_ADDRSTRLEN] = {};
  if (!v6 && hex.size() == 8) {
    in_addr a{};
    a.s_addr = static_cast<std::uint32_t>(std::strtoul(hex.c_str(), nullptr, 16));
    inet_ntop(AF_INET, &a, buf, sizeof buf);
  } else if (v6 && hex.size() == 32) {
    in6_addr a{};
    for (int w = 0; w < 4; ++w) {
      const auto word =
          static_cast<std::uint32_t>(std::strtoul(hex.substr(w * 8, 8).c_str(), nullptr, 16));
      std::memcpy(&a.s6_addr[w * 4], &word, 4);
    }
    inet_ntop(AF_INET6, &a, buf, sizeof buf);
  } else {
    return false;
  }
  addr = buf;
  return true;
}

const std::vector<core::Reference> kWritableRefs = {
    {"cis-controls-v8", "3.3"}, {"nist-800-53", "AC-3"}, {"mitre-attack", "T1222.002"}};

// A world-writable directory without the sticky bit lets any local user delete or
// replace every file in it, whoever owns them; with the sticky bit (/tmp) only the
// owners can. The system directories themselves: /usr/lib 0777 is as bad as a file in it.
void check_dir(const walk::Entry& e, const core::Asset& asset, Micros now,
               std::vector<core::Finding>& out) {
  const unsigned mode = e.st.st_mode & 07777;
  if (!(mode & 0002) || (mode & 01000) || !system_dir(e.path)) return;
  nlohmann::json ev = {
      {"path", e.path}, {"mode", octal(mode)}, {"uid", e.st.st_uid}, {"gid", e.st.st_gid}};
  out.push_back(
      make(asset, "host.posture.world_writable_dir",
           under(e.path, "/var/lib") ? core::Severity::medium : core::Severity::high,
           "World-writable directory without the sticky bit in a system directory: " + e.path,
           "Mode " + octal(mode) +
               ": any local user can create, delete or replace files in it, including "
               "files owned by root.",
           ev, {"path"}, kWritableRefs, now));
}

}  // namespace

std::unordered_set<std::string> dpkg_files(const std::string& root) {
  std::unordered_set<std::string> out;
  walk::Options w;
  w.root = root;
  w.paths = {"/var/lib/dpkg/info"};
  auto t = walk::walk(w);
  if (!t) return out;
  walk::RootDir rd(root);
  for (const auto& e : t->entries) {
    if (e.path.size() < 5 || e.path.compare(e.path.size() - 5, 5, ".list") != 0) continue;
    if (static_cast<std::uint64_t>(e.st.st_size) > kMaxListBytes) continue;
    auto fd = rd.open_file(e);
    if (!fd) continue;
    std::string buf(static_cast<std::size_t>(e.st.st_size), '\0');
    const ssize_t n = ::read(*fd, buf.data(), buf.size());
    ::close(*fd);
    if (n <= 0) continue;
    buf.resize(static_cast<std::size_t>(n));
    std::istringstream in(buf);
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line[0] == '/') out.insert(line);
  }
  return out;
}

std::vector<Socket> listening_sockets(const std::string& proc) {
  std::vector<Socket> out;
  for (const char* proto : {"tcp", "tcp6", "udp", "udp6"}) {
    std::ifstream in(proc + "/net/" + proto);
    std::string line;
    std::getline(in, line);  // header
    const bool v6 = proto[3] == '6';
    const bool tcp = proto[0] == 't';
    while (std::getline(in, line)) {
      std::istringstream ls(line);
      std::string sl, local, remote, state, queues, timer, retr, uid, timeout, inode;
      if (!(ls >> sl >> local >> remote >> state >> queues >> timer >> retr >> uid >> timeout >>
            inode))
        continue;
      // TCP: LISTEN (0A). UDP: unconnected (07) sockets bound to a port receive from anyone.
      if (tcp ? state != "0A" : state != "07") continue;
      Socket s;
      s.proto = proto;
      if (!parse_addr(local, v6, s.address, s.port)) continue;
      std::string raddr;
      int rport = 0;
      if (!tcp && (!parse_addr(remote, v6, raddr, rport) || rport != 0)) continue;
      s.inode = std::strtoull(inode.c_str(), nullptr, 10);
      if (s.inode == 0) continue;
      out.push_back(std::move(s));
    }
  }
  // inode -> pid through /proc/PID/fd/* links "socket:[INODE]".
  std::unordered_map<std::uint64_t, std::size_t> by_inode;
  for (std::size_t i = 0; i < out.size(); ++i) by_inode[out[i].inode] = i;
  if (DIR* d = ::opendir(proc.c_str())) {
    while (dirent* de = ::readdir(d)) {
      if (de->d_name[0] < '1' || de->d_name[0] > '9') continue;
      const std::string fd_dir = proc + "/" + de->d_name + "/fd";
      DIR* fds = ::opendir(fd_dir.c_str());
      if (!fds) continue;
      while (dirent* fe = ::readdir(fds)) {
        char target[64] = {};
        const std::string link = fd_dir + "/" + fe->d_name;
        const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
        if (n <= 8 || std::strncmp(target, "socket:[", 8) != 0) continue;
        const auto ino = std::strtoull(target + 8, nullptr, 10);
        auto it = by_inode.find(ino);
        if (it == by_inode.end() || out[it->second].pid) continue;
        Socket& s = out[it->second];
        s.pid = std::atoi(de->d_name);
        std::ifstream comm(proc + "/" + de->d_name + "/comm");
        std::getline(comm, s.process);
      }
      ::closedir(fds);
    }
    ::closedir(d);
  }
  return out;
}

Result<Report> scan(const Options& opt, const core::Asset& asset) {
  Report r;
  const Micros now = now_micros();
  const auto pkg = dpkg_files(opt.root);
  r.packaged_paths = pkg.size();
  walk::Options w;
  w.root = opt.root;
  w.paths = opt.paths;
  w.include_dirs = true;  // for world-writable directories
  auto t = walk::walk(w);
  if (!t) return t.error();
  for (const auto& e : t->entries) {
    const unsigned mode = e.st.st_mode & 07777;
    if (S_ISDIR(e.st.st_mode)) {
      check_dir(e, asset, now, r.findings);
      continue;  // set-gid directories are normal (group inheritance), not findings
    }
    nlohmann::json ev = {{"path", e.path},
                         {"mode", octal(mode)},
                         {"uid", e.st.st_uid},
                         {"gid", e.st.st_gid},
                         {"size", e.st.st_size}};
    if ((mode & 06000) && !packaged(pkg, e.path)) {
      ev["setuid"] = (mode & 04000) != 0;
      ev["setgid"] = (mode & 02000) != 0;
      ev["dpkg_known"] = !pkg.empty();
      r.findings.push_back(make(
          asset, "host.posture.setid_unpackaged", core::Severity::high,
          std::string(mode & 04000 ? "Set-uid" : "Set-gid") +
              " file not installed by a package: " + e.path,
          pkg.empty()
              ? "No dpkg database under the root: every set-id file is reported."
              : "No dpkg package lists this set-id file; it may be a local build or a backdoor.",
          ev, {"path"},
          {{"cis-controls-v8", "2.5"}, {"nist-800-53", "AC-6"}, {"mitre-attack", "T1548.001"}},
          now));
    }
    if ((mode & 0002) && system_dir(e.path)) {
      r.findings.push_back(
          make(asset, "host.posture.world_writable",
               under(e.path, "/var/lib") ? core::Severity::medium : core::Severity::high,
               "World-writable file in a system directory: " + e.path,
               "Mode " + octal(mode) + ": any local user can change this file.", ev, {"path"},
               kWritableRefs, now));
    }
  }
  r.walk = std::move(t->stats);
  if (opt.sockets && (opt.root.empty() || opt.root == "/")) {
    r.sockets = listening_sockets();
    for (const auto& s : r.sockets) {
      const bool local = s.address.rfind("127.", 0) == 0 || s.address == "::1";
      nlohmann::json ev = {{"proto", s.proto}, {"address", s.address}, {"port", s.port},
                           {"inode", s.inode}, {"pid", s.pid},         {"process", s.process}};
      r.findings.push_back(make(asset, "host.posture.listening_socket", core::Severity::info,
                                s.proto + " " + s.address + ":" + std::to_string(s.port) + " open" +
                                    (s.process.empty() ? "" : " by " + s.process),
                                local ? "Bound to loopback: reachable from this host only."
                                      : "Reachable from the network unless a firewall drops it; "
                                        "unneeded services widen the attack surface.",
                                ev, {"proto", "address", "port"},
                                {{"cis-controls-v8", "4.8"}, {"nist-800-53", "CM-7"}}, now));
    }
  }
  return r;
}

}  // namespace vigil::scanner::posture

// process58_object (unix): running processes from /proc, matched on command_line and
// pid. Item fields follow what oscap 1.3.7 reports (checked in tests/oracle against a
// process the test starts). A mounted root has no running processes: offline the object
// does not exist, as oscap reports for a root without /proc.
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "scanner/collectors/compare.h"
#include "scanner/collectors/registry.h"

namespace vigil::scanner {

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// /proc/<pid>/cmdline: NUL-separated arguments joined by spaces, as ps shows them.
std::string command_line(const std::string& dir, const std::string& comm) {
  std::string s = slurp(dir + "/cmdline");
  while (!s.empty() && s.back() == '\0') s.pop_back();
  for (char& ch : s)
    if (ch == '\0') ch = ' ';
  return s.empty() ? "[" + comm + "]" : s;  // kernel threads have no command line
}

// Fields of /proc/<pid>/stat after the "(comm)" (which may hold spaces and parentheses).
struct Stat {
  std::string comm;
  std::vector<std::string> rest;                   // rest[0] = state (field 3)
  const std::string& field(std::size_t n) const {  // 1-based field number as in proc(5)
    static const std::string empty;
    return n >= 3 && n - 3 < rest.size() ? rest[n - 3] : empty;
  }
};

bool read_stat(const std::string& dir, Stat& st) {
  std::string s = slurp(dir + "/stat");
  auto open = s.find('('), close = s.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  st.comm = s.substr(open + 1, close - open - 1);
  std::istringstream in(s.substr(close + 1));
  for (std::string f; in >> f;) st.rest.push_back(f);
  return st.rest.size() >= 39;
}

// "Uid:" / "CapEff:" ... line of /proc/<pid>/status, split on white space.
std::vector<std::string> status_field(const std::string& status, const std::string& key) {
  std::istringstream in(status);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::istringstream f(line.substr(key.size() + 1));
    std::vector<std::string> out;
    for (std::string w; f >> w;) out.push_back(w);
    return out;
  }
  return {};
}

std::string hms(unsigned long long secs) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02llu:%02llu:%02llu", secs / 3600, secs / 60 % 60, secs % 60);
  return buf;
}

// Start time as ps's STIME column: time of day for processes started within a day.
std::string start_time(unsigned long long start_ticks, long hz) {
  static const long long btime = [] {
    std::istringstream in(slurp("/proc/stat"));
    for (std::string w; in >> w;)
      if (w == "btime" && in >> w) return std::stoll(w);
    return 0LL;
  }();
  time_t start = static_cast<time_t>(btime + static_cast<long long>(start_ticks / hz));
  struct tm tm;
  ::localtime_r(&start, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, ::time(nullptr) - start > 86400 ? "%b%d" : "%H:%M:%S", &tm);
  return buf;
}

std::string scheduling_class(const std::string& policy) {
  static const char* kNames[] = {"TS", "FF", "RR", "B", "ISO", "IDL", "DLN"};
  std::size_t p = policy.empty() ? 0 : std::stoul(policy);
  return p < std::size(kNames) ? kNames[p] : "?";
}

std::string tty_name(const std::string& tty_nr) {
  unsigned long nr = tty_nr.empty() ? 0 : std::stoul(tty_nr);
  if (nr == 0) return "?";
  unsigned major = (nr >> 8) & 0xfff, minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
  if (major == 136) return "pts/" + std::to_string(minor);
  if (major == 4) return "tty" + std::to_string(minor);
  return "?";
}

// Capability names by bit number (linux/capability.h), for posix_capability.
constexpr const char* kCaps[] = {"CAP_CHOWN",
                                 "CAP_DAC_OVERRIDE",
                                 "CAP_DAC_READ_SEARCH",
                                 "CAP_FOWNER",
                                 "CAP_FSETID",
                                 "CAP_KILL",
                                 "CAP_SETGID",
                                 "CAP_SETUID",
                                 "CAP_SETPCAP",
                                 "CAP_LINUX_IMMUTABLE",
                                 "CAP_NET_BIND_SERVICE",
                                 "CAP_NET_BROADCAST",
                                 "CAP_NET_ADMIN",
                                 "CAP_NET_RAW",
                                 "CAP_IPC_LOCK",
                                 "CAP_IPC_OWNER",
                                 "CAP_SYS_MODULE",
                                 "CAP_SYS_RAWIO",
                                 "CAP_SYS_CHROOT",
                                 "CAP_SYS_PTRACE",
                                 "CAP_SYS_PACCT",
                                 "CAP_SYS_ADMIN",
                                 "CAP_SYS_BOOT",
                                 "CAP_SYS_NICE",
                                 "CAP_SYS_RESOURCE",
                                 "CAP_SYS_TIME",
                                 "CAP_SYS_TTY_CONFIG",
                                 "CAP_MKNOD",
                                 "CAP_LEASE",
                                 "CAP_AUDIT_WRITE",
                                 "CAP_AUDIT_CONTROL",
                                 "CAP_SETFCAP",
                                 "CAP_MAC_OVERRIDE",
                                 "CAP_MAC_ADMIN",
                                 "CAP_SYSLOG",
                                 "CAP_WAKE_ALARM",
                                 "CAP_BLOCK_SUSPEND",
                                 "CAP_AUDIT_READ",
                                 "CAP_PERFMON",
                                 "CAP_BPF",
                                 "CAP_CHECKPOINT_RESTORE"};

Item make_item(const std::string& pid, const std::string& dir, const Stat& st,
               const std::string& cmdline) {
  static const long hz = ::sysconf(_SC_CLK_TCK);
  const std::string status = slurp(dir + "/status");
  const auto uids = status_field(status, "Uid");  // real, effective, saved, fs
  Item it;
  it.type = "process58_item";
  it.add("command_line", cmdline);
  it.add("exec_time", hms((std::stoull(st.field(14)) + std::stoull(st.field(15))) / hz));
  it.add("pid", pid, Datatype::kInt);
  it.add("ppid", st.field(4), Datatype::kInt);
  it.add("priority", st.field(18), Datatype::kInt);
  it.add("ruid", uids.empty() ? "" : uids[0], Datatype::kInt);
  it.add("scheduling_class", scheduling_class(st.field(41)));
  it.add("start_time", start_time(std::stoull(st.field(22)), hz));
  it.add("tty", tty_name(st.field(7)));
  it.add("user_id", uids.size() > 1 ? uids[1] : "", Datatype::kInt);
  it.add("exec_shield", "true", Datatype::kBoolean);  // oscap reports true on current kernels
  std::string loginuid = slurp(dir + "/loginuid");
  it.add("loginuid", loginuid.empty() ? "4294967295" : loginuid, Datatype::kInt);
  const auto cap = status_field(status, "CapEff");
  unsigned long long eff = cap.empty() ? 0 : std::stoull(cap[0], nullptr, 16);
  for (std::size_t bit = 0; bit < std::size(kCaps); ++bit)
    if (eff & (1ULL << bit)) it.add("posix_capability", kCaps[bit]);
  it.add("session_id", st.field(6), Datatype::kInt);
  return it;
}

}  // namespace

Collection collect_process58(const ObjectQuery& q, CollectContext& ctx) {
  if (ctx.offline())
    return Collection::with_flag(Flag::kDoesNotExist, "process58: no running processes offline");
  const ObjectEntity* cmd = q.entity("command_line");
  const ObjectEntity* pid = q.entity("pid");
  DIR* d = ::opendir("/proc");
  if (!d) return Collection::with_flag(Flag::kError, "process58: cannot open /proc");
  Collection c;
  while (dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (pid && match_entity(*pid, name) != Tri::kTrue) continue;
    const std::string dir = "/proc/" + name;
    Stat st;
    if (!read_stat(dir, st)) continue;  // exited meanwhile
    const std::string cl = command_line(dir, st.comm);
    if (cmd && match_entity(*cmd, cl) != Tri::kTrue) continue;
    try {
      c.items.push_back(make_item(name, dir, st, cl));
    } catch (const std::exception&) {
      continue;  // a field vanished with the process
    }
  }
  ::closedir(d);
  c.flag = c.items.empty() ? Flag::kDoesNotExist : Flag::kComplete;
  return c;
}

}  // namespace vigil::scanner

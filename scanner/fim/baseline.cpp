#include "scanner/fim/baseline.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/util/hash.h"
#include "scanner/walk/parallel.h"
#include "scanner/walk/walker.h"

namespace vigil::scanner::fim {
namespace {

constexpr const char* kFormat = "vigil-fim-baseline";
constexpr int kVersion = 1;
constexpr std::uint64_t kMaxBaselineBytes = 2ull << 30;

std::int64_t ns(const struct timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

// Hashes through a per-thread 1 MiB buffer: sequential reads, no mmap churn.
Result<std::string> hash_fd(int fd, std::string& buf) {
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  Sha256 h;
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{"", std::strerror(errno)};
    if (n == 0) break;
    h.update(buf.data(), static_cast<std::size_t>(n));
  }
  return h.hex();
}

Record from_json_record(const nlohmann::json& j) {
  Record r;
  const std::string t = j.at("type").get<std::string>();
  r.type = t == "symlink" ? 'l' : 'f';
  r.size = j.at("size").get<std::uint64_t>();
  r.mode = j.at("mode").get<std::uint32_t>();
  r.uid = j.at("uid").get<std::uint32_t>();
  r.gid = j.at("gid").get<std::uint32_t>();
  r.mtime_ns = j.at("mtime_ns").get<std::int64_t>();
  r.sha256 = j.value("sha256", "");
  r.target = j.value("target", "");
  return r;
}

nlohmann::json body_json(const Baseline& b) {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [path, r] : b.files) files[path] = record_to_json(r);
  nlohmann::json unreadable = nlohmann::json::array();
  for (const auto& [p, why] : b.unreadable) unreadable.push_back({p, why});
  return {{"format", kFormat},
          {"version", kVersion},
          {"root", b.root},
          {"paths", b.paths},
          {"excludes", b.excludes},
          {"created", format_rfc3339(b.created)},
          {"files", std::move(files)},
          {"unreadable", std::move(unreadable)}};
}

std::string mode_str(std::uint32_t m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", m & 07777);
  return buf;
}

bool under(const std::string& path, const char* dir) {
  const std::size_t n = std::strlen(dir);
  return path.compare(0, n, dir) == 0 && (path.size() == n || path[n] == '/');
}

bool system_binary(const std::string& p) {
  for (const char* d : {"/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/lib", "/lib",
                        "/usr/local/bin", "/usr/local/sbin", "/lib64", "/usr/lib64", "/boot"})
    if (under(p, d)) return true;
  return false;
}

}  // namespace

nlohmann::json record_to_json(const Record& r) {
  nlohmann::json j = {{"type", r.type == 'l' ? "symlink" : "file"},
                      {"size", r.size},
                      {"mode", r.mode},
                      {"uid", r.uid},
                      {"gid", r.gid},
                      {"mtime_ns", r.mtime_ns}};
  if (r.type == 'l')
    j["target"] = r.target;
  else
    j["sha256"] = r.sha256;
  return j;
}

Result<Baseline> build(const BuildOptions& opt) {
  walk::Options w;
  w.root = opt.root.empty() ? "/" : opt.root;
  w.paths = opt.paths;
  w.excludes = opt.excludes;
  w.include_symlinks = true;
  w.one_filesystem = opt.one_filesystem;
  auto tree = walk::walk(w);
  if (!tree) return tree.error();
  walk::RootDir root(w.root);
  if (!root.ok()) return Error{w.root, "cannot open root"};

  const auto& entries = tree->entries;
  std::vector<Record> recs(entries.size());
  std::vector<std::string> errs(entries.size());
  const unsigned threads = opt.threads ? opt.threads : walk::default_threads();
  std::vector<std::string> bufs(threads, std::string(1 << 20, '\0'));
  walk::parallel_for(entries.size(), threads, [&](std::size_t i, unsigned worker) {
    const auto& e = entries[i];
    Record& r = recs[i];
    r.type = S_ISLNK(e.st.st_mode) ? 'l' : 'f';
    r.size = static_cast<std::uint64_t>(e.st.st_size);
    r.mode = e.st.st_mode & 07777;
    r.uid = e.st.st_uid;
    r.gid = e.st.st_gid;
    r.mtime_ns = ns(e.st.st_mtim);
    if (r.type == 'l') return void(r.target = e.link_target);
    auto fd = root.open_file(e);
    if (!fd) return void(errs[i] = fd.error().what);
    auto h = hash_fd(*fd, bufs[worker]);
    ::close(*fd);
    if (!h) return void(errs[i] = h.error().what);
    r.sha256 = std::move(h.value());
  });

  Baseline b;
  b.root = w.root;
  b.paths = opt.paths;
  b.excludes = opt.excludes;
  b.created = now_micros();
  for (const auto& p : tree->stats.unreadable) b.unreadable.emplace_back(p.path, p.reason);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!errs[i].empty()) b.unreadable.emplace_back(entries[i].path, errs[i]);
    b.files.emplace(entries[i].path, std::move(recs[i]));
  }
  return b;
}

Status save(const Baseline& b, const std::string& path) {
  nlohmann::json j = body_json(b);
  // The hash covers the canonical dump (sorted keys) of everything but itself.
  j["sha256"] = sha256_hex(j.dump());
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return Error{path, std::string("cannot write baseline: ") + std::strerror(errno)};
    out << j.dump() << '\n';
    out.flush();
    if (!out) return Error{path, "write failed (disk full?)"};
  }
  ::chmod(tmp.c_str(), 0600);
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return Error{path, std::string("cannot rename baseline: ") + std::strerror(errno)};
  return ok_status();
}

Result<Baseline> load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, std::string("cannot open baseline: ") + std::strerror(errno)};
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  if (size > kMaxBaselineBytes) return Error{path, "baseline larger than 2 GiB: refused"};
  in.seekg(0);
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error{path, "not a JSON baseline (corrupt?)"};
  if (j.value("format", "") != kFormat) return Error{path, "not a vigil FIM baseline"};
  if (j.value("version", 0) != kVersion)
    return Error{path,
                 "unsupported baseline version " + j.value("version", nlohmann::json()).dump()};
  if (!j.contains("sha256") || !j["sha256"].is_string())
    return Error{path, "baseline has no integrity hash: refused"};
  const std::string recorded = j["sha256"].get<std::string>();
  j.erase("sha256");
  const std::string actual = sha256_hex(j.dump());
  if (actual != recorded)
    return Error{path, "baseline integrity check failed (recorded sha256 " +
                           recorded.substr(0, 16) + "..., content hashes to " +
                           actual.substr(0, 16) + "...): modified after it was written; refused"};
  Baseline b;
  try {
    b.root = j.at("root").get<std::string>();
    b.paths = j.at("paths").get<std::vector<std::string>>();
    b.excludes = j.value("excludes", std::vector<std::string>{});
    b.created = parse_rfc3339(j.at("created").get<std::string>()).value_or(0);
    for (const auto& [p, r] : j.at("files").items()) b.files.emplace(p, from_json_record(r));
  } catch (const nlohmann::json::exception& e) {
    return Error{path, std::string("malformed baseline: ") + e.what()};
  }
  return b;
}

std::vector<Change> compare(const Baseline& before, const Baseline& after) {
  std::vector<Change> out;
  auto a = before.files.begin(), b = after.files.begin();
  while (a != before.files.end() || b != after.files.end()) {
    if (b == after.files.end() || (a != before.files.end() && a->first < b->first)) {
      out.push_back({Change::removed, a->first, {}, a->second, std::nullopt});
      ++a;
    } else if (a == before.files.end() || b->first < a->first) {
      out.push_back({Change::added, b->first, {}, std::nullopt, b->second});
      ++b;
    } else {
      const Record &x = a->second, &y = b->second;
      Change c{Change::modified, a->first, {}, x, y};
      if (x.type != y.type) c.fields.push_back("type");
      if (x.sha256 != y.sha256) c.fields.push_back("sha256");
      if (x.size != y.size) c.fields.push_back("size");
      if (x.target != y.target) c.fields.push_back("target");
      if (x.mode != y.mode) c.fields.push_back("mode");
      if (x.uid != y.uid) c.fields.push_back("uid");
      if (x.gid != y.gid) c.fields.push_back("gid");
      if (x.mtime_ns != y.mtime_ns) c.fields.push_back("mtime");
      if (!c.fields.empty()) out.push_back(std::move(c));
      ++a, ++b;
    }
  }
  return out;
}

std::vector<core::Finding> to_findings(const std::vector<Change>& changes, const core::Asset& asset,
                                       Micros now) {
  std::vector<core::Finding> out;
  for (const auto& c : changes) {
    core::Finding f;
    f.asset = asset;
    f.source = core::Source::scanner;
    const bool bin = system_binary(c.path);
    f.references = {{"nist-800-53", "SI-7"}, {"nist-800-53", "CM-3"}, {"pci-dss-4.0", "11.5.2"}};
    if (bin) f.references.push_back({"mitre-attack", "T1554"});
    f.evidence = {{"path", c.path}};
    if (c.before) f.evidence["before"] = record_to_json(*c.before);
    if (c.after) f.evidence["after"] = record_to_json(*c.after);
    switch (c.kind) {
      case Change::added:
        f.type = "host.fim.added";
        f.severity = bin ? core::Severity::medium : core::Severity::low;
        f.title = "File added: " + c.path;
        f.description = "The file was not in the integrity baseline.";
        break;
      case Change::removed:
        f.type = "host.fim.removed";
        f.severity = bin ? core::Severity::medium : core::Severity::low;
        f.title = "File removed: " + c.path;
        f.description = "The file is in the integrity baseline but no longer exists.";
        break;
      case Change::modified: {
        f.type = "host.fim.modified";
        f.evidence["changed"] = c.fields;
        auto has = [&](const char* k) {
          return std::find(c.fields.begin(), c.fields.end(), k) != c.fields.end();
        };
        const bool content = has("sha256") || has("target") || has("type");
        const bool perms = has("mode") || has("uid") || has("gid");
        const bool setid_added = c.after && c.before && (c.after->mode & 06000) &&
                                 (c.after->mode & 06000) != (c.before->mode & 06000);
        const bool world_writable = c.after && (c.after->mode & 0002) && !(c.before->mode & 0002);
        if (setid_added || (content && bin))
          f.severity = core::Severity::high;
        else if (content || perms || world_writable)
          f.severity = core::Severity::medium;
        else
          f.severity = core::Severity::low;  // mtime/size without a content change
        std::string what;
        for (const auto& k : c.fields) what += (what.empty() ? "" : ", ") + k;
        f.title = "File modified (" + what + "): " + c.path;
        f.description = "The file differs from the integrity baseline in: " + what + ".";
        if (has("mode"))
          f.description +=
              " Mode " + mode_str(c.before->mode) + " -> " + mode_str(c.after->mode) + ".";
        break;
      }
    }
    f.fingerprint_fields = {"path"};
    f.first_seen = f.last_seen = now;
    f.id = core::fingerprint(f);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace vigil::scanner::fim

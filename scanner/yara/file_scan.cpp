#include "scanner/yara/file_scan.h"

#include <fcntl.h>
#include <unistd.h>
#include <yara.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>

#include "core/util/hash.h"
#include "scanner/walk/parallel.h"
#include "scanner/yara/cache.h"

namespace vigil::scanner::yara {
namespace {

// Small files are read into a per-thread buffer and scanned from memory: cheaper than
// an mmap/munmap pair per file, and the bytes are at hand for the SHA-256 of a match.
constexpr std::uint64_t kReadLimit = 4u << 20;

// prefiltered: clean without libyara, the rules' conditions rule the file out.
enum class Outcome { clean, prefiltered, matched, cached, too_large, error, timeout };

struct Slot {
  Outcome outcome = Outcome::clean;
  std::vector<Match> matches;
  std::string sha256;
  std::string error;
  std::uint64_t size = 0;
};

int on_scan_message(YR_SCAN_CONTEXT*, int message, void* data, void* user) {
  if (message != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
  static_cast<std::vector<Match>*>(user)->push_back(
      core::yara::describe_rule(static_cast<const YR_RULE*>(data)));
  return CALLBACK_CONTINUE;  // report every matching rule, not just the first
}

bool read_all(int fd, std::string& buf, std::uint64_t size, std::string& err) {
  buf.resize(size);
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::pread(fd, buf.data() + got, size - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return err = std::strerror(errno), false;
    if (n == 0) break;  // truncated since fstat: scan what is there
    got += static_cast<std::size_t>(n);
  }
  buf.resize(got);
  return true;
}

std::string sha256_fd(int fd, std::string& err) {
  Sha256 h;
  std::string buf(1 << 20, '\0');
  off_t off = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buf.data(), buf.size(), off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return err = std::strerror(errno), std::string();
    if (n == 0) break;
    h.update(buf.data(), static_cast<std::size_t>(n));
    off += n;
  }
  return h.hex();
}

class Worker {
 public:
  Worker(const Rules& rules, int timeout_s) : prefilter_(rules.prefilter()) {
    if (yr_scanner_create(rules.raw(), &scanner_) != ERROR_SUCCESS) scanner_ = nullptr;
    if (scanner_) {
      yr_scanner_set_timeout(scanner_, timeout_s);
      // Not fast mode (every matching rule is reported); no callbacks for the rules that
      // did not match, which would be one call per rule per file.
      yr_scanner_set_flags(scanner_, SCAN_FLAGS_REPORT_RULES_MATCHING);
      yr_scanner_set_callback(scanner_, on_scan_message, &matches_);
    }
  }
  ~Worker() {
    if (scanner_) yr_scanner_destroy(scanner_);
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void scan(const walk::RootDir& root, const walk::Entry& e, Slot& slot) {
    if (!scanner_) return fail(slot, "cannot create YARA scanner");
    auto fd = root.open_file(e);
    if (!fd) return fail(slot, fd.error().what);
    struct stat st {};
    ::fstat(*fd, &st);
    slot.size = static_cast<std::uint64_t>(st.st_size);
    if (ruled_out(*fd, slot.size)) {
      ::close(*fd);
      slot.outcome = Outcome::prefiltered;
      return;
    }
    matches_.clear();
    int rc;
    bool in_buf = false;
    if (slot.size <= kReadLimit) {
      std::string err;
      if (!read_all(*fd, buf_, slot.size, err)) {
        ::close(*fd);
        return fail(slot, err);
      }
      in_buf = true;
      // Our own heap buffer cannot SIGBUS: skip libyara's per-scan signal-handler setup.
      yr_scanner_set_flags(scanner_, SCAN_FLAGS_REPORT_RULES_MATCHING | SCAN_FLAGS_NO_TRYCATCH);
      rc =
          yr_scanner_scan_mem(scanner_, reinterpret_cast<const uint8_t*>(buf_.data()), buf_.size());
    } else {
      // mmap'ed: a file truncated under us raises SIGBUS, which libyara's try/catch absorbs.
      ::posix_fadvise(*fd, 0, 0, POSIX_FADV_SEQUENTIAL);
      yr_scanner_set_flags(scanner_, SCAN_FLAGS_REPORT_RULES_MATCHING);
      rc = yr_scanner_scan_fd(scanner_, *fd);
    }
    if (rc == ERROR_SCAN_TIMEOUT) {
      slot.outcome = Outcome::timeout;
    } else if (rc != ERROR_SUCCESS) {
      ::close(*fd);
      return fail(slot, "YARA scan error " + std::to_string(rc));
    }
    if (!matches_.empty()) {
      std::string err;
      slot.sha256 = in_buf ? sha256_hex(buf_) : sha256_fd(*fd, err);
      if (slot.outcome != Outcome::timeout) slot.outcome = Outcome::matched;
      slot.matches = std::move(matches_);
      matches_ = {};
    }
    ::close(*fd);
    if (buf_.capacity() > kReadLimit) buf_ = {};
  }

 private:
  // True when no rule can match this file (prefilter.h): decided from its size and at
  // most a few header bytes, before any of it is read for libyara.
  bool ruled_out(int fd, std::uint64_t size) {
    if (!prefilter_.active()) return false;
    char head[64];
    const std::size_t want =
        std::min<std::uint64_t>({size, prefilter_.header_bytes(), sizeof head});
    ssize_t n = 0;
    if (want > 0) {
      do n = ::pread(fd, head, want, 0);
      while (n < 0 && errno == EINTR);
    }
    // A short or failed read gives may_match() fewer bytes: it then keeps the file.
    return !prefilter_.may_match(size, std::string_view(head, n > 0 ? n : 0));
  }
  static void fail(Slot& slot, std::string why) {
    slot.outcome = Outcome::error;
    slot.error = std::move(why);
  }
  const Prefilter& prefilter_;
  YR_SCANNER* scanner_ = nullptr;
  std::vector<Match> matches_;
  std::string buf_;
};

}  // namespace

nlohmann::json match_to_json(const Match& m) {
  return {{"rule", m.rule}, {"namespace", m.ns}, {"tags", m.tags}, {"meta", m.meta}};
}

Match match_from_json(const nlohmann::json& j) {
  Match m;
  m.rule = j.value("rule", "");
  m.ns = j.value("namespace", "default");
  if (j.contains("tags") && j["tags"].is_array())
    for (const auto& t : j["tags"])
      if (t.is_string()) m.tags.push_back(t.get<std::string>());
  if (j.contains("meta") && j["meta"].is_object()) m.meta = j["meta"];
  return m;
}

Result<ScanReport> scan_files(const Rules& rules, const ScanOptions& opt) {
  ensure_initialized();
  auto tree = walk::walk(opt.walk);
  if (!tree) return tree.error();
  std::unique_ptr<ScanCache> cache;
  if (!opt.cache_path.empty()) {
    auto c = ScanCache::open(opt.cache_path, rules.hash());
    if (!c) return c.error();
    cache = std::move(c.value());
  }
  walk::RootDir root(opt.walk.root.empty() ? "/" : opt.walk.root);
  if (!root.ok()) return Error{opt.walk.root, "cannot open root"};

  const auto& entries = tree->entries;
  std::vector<Slot> slots(entries.size());
  const unsigned threads = opt.threads ? opt.threads : walk::default_threads();
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned t = 0; t < threads; ++t)
    workers.push_back(std::make_unique<Worker>(rules, opt.timeout_s));
  // Largest files first: one big file picked up last would leave the other threads idle.
  std::vector<std::size_t> order(entries.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return entries[a].st.st_size > entries[b].st.st_size;
  });
  std::atomic<std::uint64_t> done{0};
  walk::parallel_for(order.size(), threads, [&](std::size_t k, unsigned w) {
    const std::size_t i = order[k];
    const auto& e = entries[i];
    Slot& slot = slots[i];
    slot.size = static_cast<std::uint64_t>(e.st.st_size);
    if (slot.size > opt.max_size) {
      slot.outcome = Outcome::too_large;  // never opened: a 2 GB sparse file costs nothing
    } else if (const CacheEntry* c = cache ? cache->lookup(e.st) : nullptr) {
      slot.outcome = Outcome::cached;
      auto arr = nlohmann::json::parse(c->matches, nullptr, false);
      if (arr.is_array())
        for (const auto& m : arr) slot.matches.push_back(match_from_json(m));
      slot.sha256 = c->sha256;
    } else {
      workers[w]->scan(root, e, slot);
    }
    const auto n = ++done;
    if (opt.progress) opt.progress(n, entries.size());
  });

  ScanReport r;
  r.walk = std::move(tree->stats);
  r.files = entries.size();
  std::vector<std::pair<struct stat, CacheEntry>> to_cache;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    Slot& s = slots[i];
    const auto& e = entries[i];
    switch (s.outcome) {
      case Outcome::too_large:
        ++r.too_large;
        break;
      case Outcome::cached:
        ++r.cached;
        break;
      case Outcome::error:
        r.errors.push_back({e.path, s.error});
        break;
      case Outcome::prefiltered:
        ++r.prefiltered;
        ++r.scanned;
        break;
      case Outcome::timeout:
        r.timeouts.push_back(e.path);
        [[fallthrough]];
      case Outcome::clean:
      case Outcome::matched:
        ++r.scanned;
        r.bytes_scanned += s.size;
        break;
    }
    // A timed-out scan is incomplete: it must be redone next time, not trusted.
    if (cache && (s.outcome == Outcome::clean || s.outcome == Outcome::prefiltered ||
                  s.outcome == Outcome::matched)) {
      CacheEntry c = cache_entry_for(e.st);
      c.sha256 = s.sha256;
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& m : s.matches) arr.push_back(match_to_json(m));
      c.matches = arr.dump();
      to_cache.emplace_back(e.st, std::move(c));
    }
    if (!s.matches.empty()) r.hits.push_back({e.path, s.size, s.sha256, std::move(s.matches)});
  }
  if (cache && !to_cache.empty())
    if (auto st = cache->store(to_cache); !st) return st.error();
  return r;
}

std::vector<core::Finding> to_findings(const ScanReport& r, const core::Asset& asset, Micros now) {
  std::vector<core::Finding> out;
  for (const auto& hit : r.hits) {
    for (const auto& m : hit.matches) {
      core::Finding f;
      f.asset = asset;
      f.source = core::Source::scanner;
      f.type = "host.malware.yara";
      // Rule authors may grade their rules with meta `severity = "medium"`.
      f.severity = core::Severity::high;
      if (m.meta.contains("severity") && m.meta["severity"].is_string())
        if (auto s = core::parse_severity(m.meta["severity"].get<std::string>())) f.severity = *s;
      f.title = "YARA rule " + m.rule + " matched " + hit.path;
      f.description = m.meta.contains("description") && m.meta["description"].is_string()
                          ? m.meta["description"].get<std::string>()
                          : "The file matches the YARA rule " + m.ns + ":" + m.rule + ".";
      f.evidence = {{"path", hit.path}, {"rule", m.rule},   {"namespace", m.ns},   {"tags", m.tags},
                    {"meta", m.meta},   {"size", hit.size}, {"sha256", hit.sha256}};
      core::redact_secrets(f.evidence);
      f.fingerprint_fields = {"path", "namespace", "rule"};
      f.references = {
          {"cis-controls-v8", "10.1"}, {"nist-800-53", "SI-3"}, {"mitre-attack", "T1204"}};
      f.first_seen = f.last_seen = now;
      f.id = core::fingerprint(f);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace vigil::scanner::yara

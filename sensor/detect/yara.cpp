// YARA (libyara) on what crosses the wire: the reassembled TCP payload of each
// direction up to `depth` (Suricata's stream inspection depth: the first bytes
// of a direction carry the requests, headers and file starts signatures look
// for), stopping where TLS ciphertext starts (tls_records.h), and decoded HTTP
// bodies up to the same depth. Stream bytes are copied into a bounded
// per-direction buffer (matches spanning packets need contiguous bytes) that
// is scanned when it fills (keeping the last `overlap` bytes, so a match cut
// by the refill is still found) or when the flow ends. Per-flow memory is at
// most 2 x min(buffer, depth); all buffers of a worker together stay under
// `memcap` (over it, a buffer is scanned early and released, counted). One
// YR_SCANNER per worker is made once and reused for every scan. Bytes are
// not scanned twice: an identity-encoded HTTP body leaves the stream buffer
// when it is scanned as a body, and content scanned before (same SHA-256)
// reuses that verdict.
// A match -> net.malware.yara on the receiving host, once per rule and flow.
#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_map>

#include "core/util/hash.h"
#include "sensor/detect/detector.h"
#include "sensor/detect/tls_records.h"
// After nlohmann: libyara defines macros that collide with its lexer.
#include <yara.h>

namespace vigil::sensor::detect {

namespace {

const FindingKind kYara{"net.malware.yara",
                        core::Severity::high,
                        "Transferred content matched a YARA rule",
                        "Data sent to this host over the network matched a YARA rule (malware, "
                        "tool or policy signature).",
                        "T1105",
                        "10.1",
                        {"namespace", "rule"}};

struct Match {
  std::string rule, ns;
  nlohmann::json tags = nlohmann::json::array(), meta = nlohmann::json::object();
  std::uint64_t offset = 0;
};

// libyara 4.2 keeps YR_MATCH records in a packed arena, 4-byte aligned: walking
// them with yr_string_matches_foreach is a misaligned (x86-safe) access that
// UBSan reports inside libyara's own macro, so alignment checks are off here.
__attribute__((no_sanitize("alignment"))) int on_scan(YR_SCAN_CONTEXT* ctx, int message, void* data,
                                                      void* user) {
  if (message != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
  auto* rule = static_cast<YR_RULE*>(data);
  Match m;
  m.rule = rule->identifier;
  m.ns = rule->ns && rule->ns->name ? rule->ns->name : "";
  const char* tag;
  yr_rule_tags_foreach(rule, tag) {
    m.tags.push_back(tag);
  }
  YR_META* meta;
  yr_rule_metas_foreach(rule, meta) {
    if (meta->type == META_TYPE_INTEGER)
      m.meta[meta->identifier] = meta->integer;
    else if (meta->type == META_TYPE_BOOLEAN)
      m.meta[meta->identifier] = bool(meta->integer);
    else
      m.meta[meta->identifier] = meta->string ? meta->string : "";
  }
  bool any = false;
  YR_STRING* s;
  yr_rule_strings_foreach(rule, s) {
    YR_MATCH* match;
    yr_string_matches_foreach(ctx, s, match) {
      std::uint64_t off = std::uint64_t(match->base + match->offset);
      if (!any || off < m.offset) m.offset = off;
      any = true;
    }
  }
  static_cast<std::vector<Match>*>(user)->push_back(std::move(m));
  return CALLBACK_CONTINUE;
}

struct DirBuf {
  std::vector<std::uint8_t> buf;
  std::uint64_t base = 0;     // stream offset of buf[0]
  std::size_t unscanned = 0;  // bytes appended since the last scan
  TlsRecords tls;             // where ciphertext starts (not scanned)
};

struct FlowState {
  DirBuf dir[2];
  std::set<std::string> reported;  // "ns:rule" already reported for this flow
};

class Yara final : public Detector {
 public:
  explicit Yara(const YaraConfig& c) : cfg_(c) {
    if (cfg_.rules &&
        yr_scanner_create(const_cast<YR_RULES*>(cfg_.rules), &scanner_) == ERROR_SUCCESS) {
      yr_scanner_set_callback(scanner_, on_scan, &matches_);
      yr_scanner_set_timeout(scanner_, cfg_.timeout_s);
      // Per-scan savings (halves the cost of a small scan): only matching
      // rules call back, and no SIGSEGV/SIGBUS handler is installed around
      // each scan (it guards memory-mapped files; these buffers are our heap).
      yr_scanner_set_flags(scanner_, SCAN_FLAGS_REPORT_RULES_MATCHING | SCAN_FLAGS_NO_TRYCATCH);
    }
  }
  ~Yara() override {
    if (scanner_) yr_scanner_destroy(scanner_);
  }

  void stream_data(const Flow& f, Dir d, Bytes data, std::uint64_t offset, std::int64_t ts_us,
                   FindingSet& out) override {
    if (!scanner_ || f.proto != kProtoTCP || offset >= cfg_.depth || data.empty()) return;
    data = data.first(std::min<std::uint64_t>(data.size(), cfg_.depth - offset));
    FlowState& st = flows_[f.id];
    DirBuf& b = st.dir[d];
    if (b.tls.encrypted()) return;
    data = data.first(b.tls.clear_prefix(data, offset));
    if (b.tls.encrypted()) ++encrypted_;
    if (data.empty()) return;
    if (!b.buf.empty() && offset != b.base + b.buf.size()) {  // a gap: the stream restarts
      flush(f, d, st, ts_us, out);
      release(b, b.buf.size());
    }
    if (b.buf.empty()) b.base = offset;
    while (!data.empty()) {
      std::size_t take = std::min<std::size_t>(data.size(), cfg_.buffer - b.buf.size());
      b.buf.insert(b.buf.end(), data.begin(), data.begin() + take);
      b.unscanned += take;
      mem_ += take;
      data = data.subspan(take);
      if (b.buf.size() >= cfg_.buffer) {
        flush(f, d, st, ts_us, out);
        release(b, b.buf.size() - cfg_.overlap);
      }
    }
    if (mem_ > cfg_.memcap) {
      ++early_;
      flush(f, d, st, ts_us, out);
      release(b, b.buf.size());
    }
  }

  void http_body(const Flow& f, Dir d, Bytes body, std::int64_t ts_us, FindingSet& out) override {
    if (!scanner_ || body.empty()) return;
    FlowState& st = flows_[f.id];
    DirBuf& b = st.dir[d];
    // An identity-encoded body is the tail of this direction's buffer: the
    // bytes before it (headers) are scanned as stream now, the body once as a
    // body below, and the buffer restarts after it, so no byte is scanned twice.
    if (b.unscanned >= body.size() &&
        std::equal(body.begin(), body.end(), b.buf.end() - std::ptrdiff_t(body.size()))) {
      b.buf.resize(b.buf.size() - body.size());
      b.unscanned -= body.size();
      mem_ -= body.size();
      flush(f, d, st, ts_us, out);
      release(b, b.buf.size());
    }
    scan(f, d, st, body.first(std::min<std::uint64_t>(body.size(), cfg_.depth)), 0, "http_body",
         ts_us, out);
  }

  bool wants_http_bodies() const override { return scanner_ != nullptr; }

  void flow_end(const Flow& f, FindingSet& out) override {
    auto it = flows_.find(f.id);
    if (it == flows_.end()) return;
    for (Dir d : {kToServer, kToClient}) {
      flush(f, d, it->second, f.last_us, out);
      release(it->second.dir[d], it->second.dir[d].buf.size());
    }
    flows_.erase(it);
  }

  void merge_into(Detector& shared) override {
    auto& s = static_cast<Yara&>(shared);
    s.scans_ += scans_;
    s.bytes_ += bytes_;
    s.early_ += early_;
    s.errors_ += errors_;
    s.encrypted_ += encrypted_;
    s.cache_hits_ += cache_hits_;
  }

  void stats(Json& out) const override {
    out["scans"] = scans_;
    out["bytes_scanned"] = bytes_;
    out["early_scans_memcap"] = early_;
    out["scan_errors"] = errors_;
    out["directions_tls_encrypted"] = encrypted_;
    out["cache_hits"] = cache_hits_;
  }

 private:
  void flush(const Flow& f, Dir d, FlowState& st, std::int64_t ts_us, FindingSet& out) {
    DirBuf& b = st.dir[d];
    if (!b.unscanned) return;
    b.unscanned = 0;
    scan(f, d, st, Bytes(b.buf.data(), b.buf.size()), b.base, "tcp_stream", ts_us, out);
  }

  // Drops the first `n` bytes of the buffer (memory given back to the cap).
  void release(DirBuf& b, std::size_t n) {
    n = std::min(n, b.buf.size());
    b.buf.erase(b.buf.begin(), b.buf.begin() + n);
    b.base += n;
    mem_ -= n;
    if (b.buf.empty()) b.buf.shrink_to_fit();
  }

  void scan(const Flow& f, Dir d, FlowState& st, Bytes data, std::uint64_t base, const char* where,
            std::int64_t ts_us, FindingSet& out) {
    // The same content (a page many clients fetch, the same request again)
    // gets the same verdict. SHA-256, so no payload can be made to collide
    // with a cached clean one.
    std::uint8_t digest[32];
    hasher_.update(data.data(), data.size());
    hasher_.digest(digest);  // one context per worker: no digest set-up per scan
    std::string key(reinterpret_cast<const char*>(digest), sizeof digest);
    if (auto hit = cache_.find(key); hit != cache_.end()) {
      ++cache_hits_;
      report(f, d, st, hit->second, base, where, ts_us, out);
      return;
    }
    matches_.clear();
    ++scans_;
    bytes_ += data.size();
    if (yr_scanner_scan_mem(scanner_, data.data(), data.size()) != ERROR_SUCCESS) ++errors_;
    if (cache_.size() >= kCacheEntries) cache_.clear();
    cache_.emplace(std::move(key), matches_);
    report(f, d, st, matches_, base, where, ts_us, out);
  }

  void report(const Flow& f, Dir d, FlowState& st, const std::vector<Match>& matches,
              std::uint64_t base, const char* where, std::int64_t ts_us, FindingSet& out) {
    for (const Match& m : matches) {
      if (!st.reported.insert(m.ns + ":" + m.rule).second) continue;
      nlohmann::json e = flow_evidence(f, ts_us);
      e["rule"] = m.rule;
      e["namespace"] = m.ns;
      e["tags"] = m.tags;
      e["meta"] = m.meta;
      e["source"] = where;
      e["direction"] = d == kToServer ? "toserver" : "toclient";
      e["offset"] = base + m.offset;
      e["sender"] = (d == kToServer ? f.cli : f.srv).str();
      core::Finding fd = make_finding(kYara, (d == kToServer ? f.srv : f.cli).str(), e, ts_us);
      auto sv = m.meta.find("severity");
      if (sv != m.meta.end() && sv->is_string())
        if (auto sev = core::parse_severity(sv->get<std::string>())) fd.severity = *sev;
      out.add(std::move(fd));
    }
  }

  YaraConfig cfg_;
  YR_SCANNER* scanner_ = nullptr;
  std::vector<Match> matches_;
  std::unordered_map<std::uint64_t, FlowState> flows_;
  std::uint64_t mem_ = 0, scans_ = 0, bytes_ = 0, early_ = 0, errors_ = 0, encrypted_ = 0;
  std::uint64_t cache_hits_ = 0;
  // Verdicts of recent scans by content SHA-256 (cleared when full).
  static constexpr std::size_t kCacheEntries = 4096;
  std::unordered_map<std::string, std::vector<Match>> cache_;
  Sha256 hasher_;
};

std::unique_ptr<Detector> make(const DetectConfig& c) {
  return std::make_unique<Yara>(c.yara);
}

}  // namespace

extern const DetectorInfo kDetector_yara{"yara", make};

}  // namespace vigil::sensor::detect

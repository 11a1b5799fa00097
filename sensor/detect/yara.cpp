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
// when it is scanned as a body, and content scanned before (the same bytes,
// found by a 64-bit hash and compared in full) reuses that verdict.
// A match -> net.malware.yara on the receiving host, once per rule and flow.
#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/yara/rule_match.h"
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

// A matching rule, and where in the scanned bytes its first string hit is.
struct Match : core::yara::RuleMatch {
  std::uint64_t offset = 0;
};

// What a scan call collects: the matching rules, or (a string-hit check over
// several blocks) which blocks hold a hit of any string, block = base / kBlockSpan.
constexpr std::uint64_t kBlockSpan = std::uint64_t(1) << 40;
struct Collect {
  std::vector<Match> matches;
  std::vector<bool>* hits = nullptr;
};

// libyara 4.2 keeps YR_MATCH records in a packed arena, 4-byte aligned: walking
// them with yr_string_matches_foreach is a misaligned (x86-safe) access that
// UBSan reports inside libyara's own macro, so alignment checks are off here.
__attribute__((no_sanitize("alignment"))) int on_scan(YR_SCAN_CONTEXT* ctx, int message, void* data,
                                                      void* user) {
  auto* into = static_cast<Collect*>(user);
  // A string at libyara's match limit would stop being matched for the rest of
  // the call, blocks after it included: fail the check (every piece is scanned).
  if (message == CALLBACK_MSG_TOO_MANY_MATCHES && into->hits) return CALLBACK_ERROR;
  if (message == CALLBACK_MSG_SCAN_FINISHED && into->hits) {
    // libyara clears the string matches when the call returns: read them now.
    for (std::uint32_t i = 0; i < ctx->rules->num_strings; ++i)
      for (const YR_MATCH* m = ctx->matches[i].head; m; m = m->next)
        if (std::uint64_t blk = std::uint64_t(m->base) / kBlockSpan; blk < into->hits->size())
          (*into->hits)[blk] = true;
    return CALLBACK_CONTINUE;
  }
  if (message != CALLBACK_MSG_RULE_MATCHING || into->hits) return CALLBACK_CONTINUE;
  auto* rule = static_cast<YR_RULE*>(data);
  Match m{core::yara::describe_rule(rule)};
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
  into->matches.push_back(std::move(m));
  return CALLBACK_CONTINUE;
}

struct DirBuf {
  std::vector<std::uint8_t> buf;
  std::uint64_t base = 0;     // stream offset of buf[0]
  std::size_t unscanned = 0;  // bytes appended since the last scan
  TlsRecords tls;             // where ciphertext starts (not scanned)
};

// A verdict postponed to the flow's end (strings_required): stream bytes still
// to judge, or an HTTP body's matches waiting for the stream verdicts before
// it, so findings are reported in the order the data was seen.
struct Pending {
  Dir d;
  std::uint64_t base;
  std::int64_t ts_us;
  const char* where;
  std::vector<std::uint8_t> data;  // stream bytes (empty for a body verdict)
  std::vector<Match> matches;      // a body's verdict
};

struct FlowState {
  DirBuf dir[2];
  std::set<std::string> reported;  // "ns:rule" already reported for this flow
  std::vector<Pending> pending;
};

class Yara final : public Detector {
 public:
  explicit Yara(const YaraConfig& c) : cfg_(c) {
    if (cfg_.rules &&
        yr_scanner_create(const_cast<YR_RULES*>(cfg_.rules), &scanner_) == ERROR_SUCCESS) {
      yr_scanner_set_callback(scanner_, on_scan, &collect_);
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
      resolve(f, st, out);
      resolve_ended(out);
    }
  }

  void http_body(const Flow& f, Dir d, Bytes body, std::uint64_t length, std::int64_t ts_us,
                 FindingSet& out) override {
    if (!scanner_ || body.empty()) return;
    FlowState& st = flows_[f.id];
    DirBuf& b = st.dir[d];
    // An identity-encoded body ended where the stream is now, so it began
    // `length` bytes earlier (the analyser decodes only the first depth
    // bytes of it); whatever of it is in this direction's buffer (all of
    // it, or its first bytes when the body runs past the depth) is the
    // body's own start. The bytes before it (headers) are scanned as
    // stream, the body once as a body below, and the buffer restarts after
    // it, so no byte is scanned twice.
    const std::uint64_t end = f.stream[d].delivered, buf_end = b.base + b.buf.size();
    if (end >= length) {
      const std::uint64_t start = end - length;
      const std::size_t k = start >= b.base && start < buf_end ? buf_end - start : 0;
      if (k && k <= b.unscanned && k <= body.size() &&
          std::equal(body.begin(), body.begin() + std::ptrdiff_t(k),
                     b.buf.end() - std::ptrdiff_t(k))) {
        b.buf.resize(b.buf.size() - k);
        b.unscanned -= k;
        mem_ -= k;
        flush(f, d, st, ts_us, out);
        release(b, b.buf.size());
      }
    }
    scan(f, d, st, body.first(std::min<std::uint64_t>(body.size(), cfg_.depth)), 0, "http_body",
         ts_us, out);
  }

  std::uint64_t http_body_depth() const override { return scanner_ ? cfg_.depth : 0; }

  void flow_end(const Flow& f, FindingSet& out) override {
    auto it = flows_.find(f.id);
    if (it == flows_.end()) return;
    for (Dir d : {kToServer, kToClient}) {
      flush(f, d, it->second, f.last_us, out);
      release(it->second.dir[d], it->second.dir[d].buf.size());
    }
    if (!it->second.pending.empty()) {
      // Checked later together with other ended flows: one libyara call for
      // many flows' pieces (the flow fields the evidence needs are copied).
      auto& q = ended_.emplace_back();
      q.flow = evidence_copy(f);
      q.st = std::move(it->second);
      for (const Pending& p : q.st.pending) ended_bytes_ += p.data.size();
    }
    flows_.erase(it);
    last_out_ = &out;
    if (ended_.size() >= kBatchFlows || ended_bytes_ >= kBatchBytes || mem_ > cfg_.memcap)
      resolve_ended(out);
  }

  void merge_into(Detector& shared) override {
    // Worker end: the ended flows still waiting go into this worker's findings
    // (the set every call of this worker wrote to; merged after this).
    if (last_out_) resolve_ended(*last_out_);
    auto& s = static_cast<Yara&>(shared);
    s.scans_ += scans_;
    s.bytes_ += bytes_;
    s.early_ += early_;
    s.errors_ += errors_;
    s.encrypted_ += encrypted_;
    s.cache_hits_ += cache_hits_;
    s.hit_checks_ += hit_checks_;
    s.no_hit_ += no_hit_;
  }

  void stats(Json& out) const override {
    out["scans"] = scans_;
    out["bytes_scanned"] = bytes_;
    out["early_scans_memcap"] = early_;
    out["scan_errors"] = errors_;
    out["directions_tls_encrypted"] = encrypted_;
    out["cache_hits"] = cache_hits_;
    out["string_hit_checks"] = hit_checks_;
    out["judged_without_hits"] = no_hit_;
  }

 private:
  void flush(const Flow& f, Dir d, FlowState& st, std::int64_t ts_us, FindingSet& out) {
    DirBuf& b = st.dir[d];
    if (!b.unscanned) return;
    b.unscanned = 0;
    if (!cfg_.strings_required) {
      scan(f, d, st, Bytes(b.buf.data(), b.buf.size()), b.base, "tcp_stream", ts_us, out);
      return;
    }
    st.pending.push_back({d, b.base, ts_us, "tcp_stream", b.buf, {}});
    mem_ += b.buf.size();
  }

  // Postponed stream verdicts, the pieces of all the given flows checked for
  // string hits in one libyara call: a piece without a hit of any string
  // cannot match (every rule needs one) and is judged clean without a scan of
  // its own; the others get their full scan. Each flow's verdicts are reported
  // in the order its data was seen.
  void resolve(const std::vector<std::pair<const Flow*, FlowState*>>& flows, FindingSet& out) {
    std::vector<Bytes> segs;
    for (auto [f, st] : flows)
      for (const Pending& p : st->pending)
        if (!p.data.empty()) segs.emplace_back(p.data.data(), p.data.size());
    std::vector<bool> hit = string_hits(segs);
    std::size_t i = 0;
    for (auto [f, st] : flows) {
      std::vector<Pending> pending = std::move(st->pending);
      st->pending.clear();
      for (Pending& p : pending) {
        if (p.data.empty()) {
          report(*f, p.d, *st, p.matches, p.base, p.where, p.ts_us, out);
          continue;
        }
        mem_ -= p.data.size();
        if (hit[i++])
          report(*f, p.d, *st, verdict(Bytes(p.data.data(), p.data.size())), p.base, p.where,
                 p.ts_us, out);
        else
          ++no_hit_;
      }
    }
  }
  void resolve(const Flow& f, FlowState& st, FindingSet& out) {
    if (!st.pending.empty()) resolve({{&f, &st}}, out);
  }
  void resolve_ended(FindingSet& out) {
    if (ended_.empty()) return;
    std::vector<std::pair<const Flow*, FlowState*>> flows;
    for (Ended& e : ended_) flows.emplace_back(e.flow.get(), &e.st);
    resolve(flows, out);
    ended_.clear();
    ended_bytes_ = 0;
  }

  // What flow_evidence() reads of a flow, kept after the flow is gone.
  static std::unique_ptr<Flow> evidence_copy(const Flow& f) {
    auto c = std::make_unique<Flow>();
    c->key = f.key;
    c->id = f.id;
    c->cli = f.cli;
    c->srv = f.srv;
    c->cport = f.cport;
    c->sport = f.sport;
    c->proto = f.proto;
    std::copy(std::begin(f.vlan), std::end(f.vlan), std::begin(c->vlan));
    c->vlan_count = f.vlan_count;
    c->icmp_type = f.icmp_type;
    c->icmp_code = f.icmp_code;
    c->start_us = f.start_us;
    c->last_us = f.last_us;
    c->app_proto = f.app_proto;
    return c;
  }

  // Which segments hold a hit of any rule's string: one libyara call, one
  // memory block per segment (libyara matches strings block by block, so a
  // block's hits are those a scan of it alone finds; the rules' conditions,
  // evaluated once over all blocks, are ignored). On error: all count as hit.
  std::vector<bool> string_hits(const std::vector<Bytes>& segs) {
    std::vector<bool> hits(segs.size(), false);
    if (segs.empty()) return hits;
    struct Blocks {
      std::vector<YR_MEMORY_BLOCK> blocks;
      std::size_t next = 0;
    } ctx;
    for (std::size_t i = 0; i < segs.size(); ++i) {
      YR_MEMORY_BLOCK b{};
      b.size = segs[i].size();
      b.base = i * kBlockSpan;
      b.context = const_cast<std::uint8_t*>(segs[i].data());
      b.fetch_data = [](YR_MEMORY_BLOCK* blk) {
        return static_cast<const std::uint8_t*>(blk->context);
      };
      ctx.blocks.push_back(b);
    }
    YR_MEMORY_BLOCK_ITERATOR it{};
    it.context = &ctx;
    it.first = [](YR_MEMORY_BLOCK_ITERATOR* i) -> YR_MEMORY_BLOCK* {
      auto* c = static_cast<Blocks*>(i->context);
      c->next = 1;
      return &c->blocks[0];
    };
    it.next = [](YR_MEMORY_BLOCK_ITERATOR* i) -> YR_MEMORY_BLOCK* {
      auto* c = static_cast<Blocks*>(i->context);
      return c->next < c->blocks.size() ? &c->blocks[c->next++] : nullptr;
    };
    it.last_error = ERROR_SUCCESS;
    collect_.hits = &hits;
    ++scans_;
    ++hit_checks_;
    for (Bytes s : segs) bytes_ += s.size();
    int rc = yr_scanner_scan_mem_blocks(scanner_, &it);
    collect_.hits = nullptr;
    if (rc != ERROR_SUCCESS) {
      ++errors_;
      hits.assign(segs.size(), true);
    }
    return hits;
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
    std::vector<Match> m = verdict(data);
    if (st.pending.empty())
      report(f, d, st, m, base, where, ts_us, out);
    else  // after stream data still to be judged: keep the order
      st.pending.push_back({d, base, ts_us, where, {}, std::move(m)});
  }

  // The rules matching `data`. The same content (a page many clients fetch,
  // the same request again) gets the same verdict: the key is a 64-bit hash,
  // but a hit counts only if the cached bytes are equal to these (compared in
  // full), so no payload can collide with a cached clean one.
  std::vector<Match> verdict(Bytes data) {
    std::string_view content(reinterpret_cast<const char*>(data.data()), data.size());
    // Only the first and last 512 bytes and the size are hashed (the full compare
    // decides); at most kCacheChain entries share a key, so data made to share
    // them costs a few compares, not one per cached entry.
    constexpr std::size_t kEdge = 512;
    std::hash<std::string_view> hash;
    std::size_t h = hash(content.substr(0, kEdge)) ^ (content.size() * 0x9e3779b97f4a7c15ull);
    if (content.size() > kEdge) h = h * 31 + hash(content.substr(content.size() - kEdge));
    auto [lo, hi] = cache_.equal_range(h);
    std::size_t chain = 0;
    for (auto it = lo; it != hi; ++it, ++chain)
      if (it->second.content == content) {
        ++cache_hits_;
        return it->second.matches;
      }
    collect_.matches.clear();
    ++scans_;
    bytes_ += data.size();
    if (yr_scanner_scan_mem(scanner_, data.data(), data.size()) != ERROR_SUCCESS) ++errors_;
    if (cache_.size() >= kCacheEntries || cache_bytes_ + data.size() > kCacheBytes) {
      cache_.clear();
      cache_bytes_ = 0;
    }
    if (data.size() <= kCacheBytes && chain < kCacheChain) {
      cache_.emplace(h, Verdict{std::string(content), collect_.matches});
      cache_bytes_ += data.size();
    }
    return collect_.matches;
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
  Collect collect_;
  // Ended flows whose pieces wait for one string-hit check together.
  struct Ended {
    std::unique_ptr<Flow> flow;
    FlowState st;
  };
  static constexpr std::size_t kBatchFlows = 256;
  static constexpr std::size_t kBatchBytes = 4u << 20;
  std::vector<Ended> ended_;
  std::size_t ended_bytes_ = 0;
  FindingSet* last_out_ = nullptr;
  std::unordered_map<std::uint64_t, FlowState> flows_;
  std::uint64_t mem_ = 0, scans_ = 0, bytes_ = 0, early_ = 0, errors_ = 0, encrypted_ = 0;
  std::uint64_t cache_hits_ = 0, hit_checks_ = 0, no_hit_ = 0;
  // Verdicts of recent scans with the content they judged, by a hash of the
  // content (cleared when full: entries or bytes).
  struct Verdict {
    std::string content;
    std::vector<Match> matches;
  };
  static constexpr std::size_t kCacheEntries = 4096;
  static constexpr std::size_t kCacheBytes = 8u << 20;
  static constexpr std::size_t kCacheChain = 4;
  std::unordered_multimap<std::size_t, Verdict> cache_;
  std::size_t cache_bytes_ = 0;
};

std::unique_ptr<Detector> make(const DetectConfig& c) {
  return std::make_unique<Yara>(c.yara);
}

}  // namespace

extern const DetectorInfo kDetector_yara{"yara", make};

}  // namespace vigil::sensor::detect

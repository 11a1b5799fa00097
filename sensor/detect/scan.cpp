// Port scans: one source touching many distinct (host, port) targets within a
// window, judged from how each probe flow ended, once per scanner and scan type.
//   tcp_syn:     SYN, SYN/ACK, then RST without completing the handshake (half-open)
//   tcp_connect: handshake completed, no payload either way, then closed
//   udp:         a datagram or two, never an answer
// A SYN answered by RST or by nothing looks the same for both TCP scans; it is
// counted for the type of the nearest (in time) unambiguous probe of the same
// source, tcp_syn when there is none. Per-worker probe lists are merged before
// judging, so the result does not depend on how flows were sharded. Memory is
// capped by max_sources (evicting sources with few probes first) and
// max_probes per source (more are only counted).
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "sensor/detect/bounded_map.h"
#include "sensor/detect/detector.h"
#include "sensor/output/emitter.h"

namespace vigil::sensor::detect {

namespace {

using core::Severity;

// Named apart from the TCP flag constants (kSyn, kAck) on purpose.
enum Kind : std::uint8_t { kAmbiguous, kSynScan, kConnectScan, kUdpScan };

const FindingKind kKinds[] = {
    {},
    {"net.scan.tcp_syn",
     Severity::medium,
     "TCP SYN port scan from this host",
     "The host sent SYNs to many distinct ports/hosts and tore down every answered handshake "
     "half-open, the pattern of a SYN (stealth) scan such as nmap -sS.",
     "T1046",
     "13.3",
     {}},
    {"net.scan.tcp_connect",
     Severity::medium,
     "TCP connect port scan from this host",
     "The host opened TCP connections to many distinct ports/hosts and closed them without "
     "sending data, the pattern of a connect scan such as nmap -sT.",
     "T1046",
     "13.3",
     {}},
    {"net.scan.udp",
     Severity::medium,
     "UDP port scan from this host",
     "The host sent UDP datagrams to many distinct ports/hosts that never answered, the pattern "
     "of a UDP scan such as nmap -sU.",
     "T1046",
     "13.3",
     {}},
};

struct Probe {
  std::int64_t ts;
  IpAddr dst;
  std::uint16_t port;
  Kind kind;
  bool open;
  std::uint64_t flow_id;
};

struct Source {
  IpAddr ip;
  std::vector<Probe> probes;
  std::uint64_t not_kept = 0;  // probes beyond max_probes
  std::int64_t last_us = 0;
};

std::string key_of(const IpAddr& a) {
  return std::string(reinterpret_cast<const char*>(a.b), a.len);
}

// "1-3,7,9-12" from sorted, unique ports.
std::string ranges(const std::set<std::uint16_t>& ports) {
  std::string s;
  for (auto it = ports.begin(); it != ports.end();) {
    std::uint16_t lo = *it, hi = lo;
    while (++it != ports.end() && *it == hi + 1) hi = *it;
    if (!s.empty()) s += ',';
    s += std::to_string(lo);
    if (hi != lo) s += "-" + std::to_string(hi);
  }
  return s;
}

class Scan final : public Detector {
 public:
  explicit Scan(const ScanConfig& c) : cfg_(c) {}

  void flow_end(const Flow& f, FindingSet&) override {
    if (f.stream[0].delivered || f.stream[1].delivered) return;
    Probe p{f.start_us, f.srv, f.sport, kAmbiguous, false, f.id};
    if (f.proto == kProtoTCP) {
      std::uint8_t c = f.tcp_flags[0], s = f.tcp_flags[1];
      if (!(c & kSyn)) return;
      p.open = (s & kSyn) && (s & kAck);
      if (p.open) p.kind = (c & kAck) ? kConnectScan : kSynScan;
    } else if (f.proto == kProtoUDP) {
      if (f.pkts[1] || f.pkts[0] > 2) return;
      p.kind = kUdpScan;
    } else {
      return;
    }
    add(f.cli, p);
  }

  void merge_into(Detector& shared) override {
    auto& s = static_cast<Scan&>(shared);
    for (auto& [k, src] : sources_)
      for (const Probe& p : src.probes) s.add(src.ip, p, /*count=*/false);
    for (auto& [k, src] : sources_)
      if (auto it = s.sources_.find(k); it != s.sources_.end()) it->second.not_kept += src.not_kept;
    s.evicted_ += evicted_;
    s.probes_ += probes_;
    sources_.clear();
  }

  void conclude(FindingSet& out) override {
    for (auto& [k, src] : sources_) judge(src, out);
  }

  void stats(Json& out) const override {
    out["probes"] = probes_;
    out["sources_evicted"] = evicted_;
  }

 private:
  // `count`: false when merging a worker's probes, already in its probes_.
  void add(const IpAddr& ip, const Probe& p, bool count = true) {
    std::string k = key_of(ip);
    auto it = sources_.find(k);
    if (it == sources_.end()) {
      evicted_ += evict_when_full(
          sources_, cfg_.max_sources, [](const Source& s) { return s.probes.size() < 4; },
          [](const Source& s) { return s.last_us; });
      it = sources_.emplace(k, Source{ip, {}, 0, 0}).first;
    }
    Source& s = it->second;
    s.last_us = std::max(s.last_us, p.ts);
    if (s.probes.size() < cfg_.max_probes)
      s.probes.push_back(p);
    else
      ++s.not_kept;
    if (count) ++probes_;
  }

  void judge(Source& src, FindingSet& out) {
    auto& ps = src.probes;
    std::sort(ps.begin(), ps.end(), [](const Probe& a, const Probe& b) {
      return std::tie(a.ts, a.flow_id) < std::tie(b.ts, b.flow_id);
    });
    // Ambiguous TCP probes take the kind of the nearest decisive one.
    std::vector<std::size_t> decisive;
    for (std::size_t i = 0; i < ps.size(); ++i)
      if (ps[i].kind == kSynScan || ps[i].kind == kConnectScan) decisive.push_back(i);
    for (Probe& p : ps) {
      if (p.kind != kAmbiguous) continue;
      p.kind = kSynScan;
      auto it = std::lower_bound(decisive.begin(), decisive.end(), p.ts,
                                 [&](std::size_t i, std::int64_t t) { return ps[i].ts < t; });
      std::int64_t best = cfg_.window_us + 1;
      for (auto j : {it, it == decisive.begin() ? it : it - 1}) {
        if (j == decisive.end()) continue;
        std::int64_t d = std::llabs(ps[*j].ts - p.ts);
        if (d < best) {
          best = d;
          p.kind = ps[*j].kind;
        }
      }
    }
    for (Kind k : {kSynScan, kConnectScan, kUdpScan}) judge_kind(src, k, out);
  }

  void judge_kind(const Source& src, Kind kind, FindingSet& out) {
    std::vector<const Probe*> ps;
    for (const Probe& p : src.probes)
      if (p.kind == kind) ps.push_back(&p);
    if (ps.size() < cfg_.min_targets) return;
    // Most distinct targets inside any window (two pointers over time).
    std::map<std::pair<std::string, std::uint16_t>, int> in_window;
    std::size_t lo = 0, best = 0;
    for (std::size_t hi = 0; hi < ps.size(); ++hi) {
      ++in_window[{key_of(ps[hi]->dst), ps[hi]->port}];
      while (ps[hi]->ts - ps[lo]->ts > cfg_.window_us) {
        auto it = in_window.find({key_of(ps[lo]->dst), ps[lo]->port});
        if (--it->second == 0) in_window.erase(it);
        ++lo;
      }
      best = std::max(best, in_window.size());
    }
    if (best < cfg_.min_targets) return;
    std::set<std::string> hosts;
    std::set<std::uint16_t> ports, open;
    std::set<std::pair<std::string, std::uint16_t>> targets;
    for (const Probe* p : ps) {
      std::string h = p->dst.str();
      hosts.insert(h);
      ports.insert(p->port);
      targets.insert({h, p->port});
      if (p->open) open.insert(p->port);
    }
    nlohmann::json e;
    e["scanner"] = src.ip.str();
    e["scan_type"] = kKinds[kind].type.substr(9);
    e["probes"] = ps.size();
    e["probes_not_kept"] = src.not_kept;
    e["distinct_targets"] = targets.size();
    e["max_targets_in_window"] = best;
    e["window_seconds"] = cfg_.window_us / 1'000'000;
    e["distinct_hosts"] = hosts.size();
    e["distinct_ports"] = ports.size();
    e["port_ranges"] = ranges(ports);
    e["answered_ports"] = ranges(open);
    nlohmann::json hl = nlohmann::json::array();
    for (const auto& h : hosts) {
      if (hl.size() >= 20) break;
      hl.push_back(h);
    }
    e["target_hosts"] = hl;
    nlohmann::json flows = nlohmann::json::array();
    for (std::size_t i = 0; i < ps.size() && i < kMaxFlowSamples; ++i)
      flows.push_back({{"flow_id", ps[i]->flow_id}, {"time", format_ts(ps[i]->ts)}});
    const std::string scanner = src.ip.str();  // before `e` is moved from
    core::Finding f = make_finding(kKinds[kind], scanner, std::move(e), ps.front()->ts);
    f.evidence["flows"] = flows;
    f.last_seen = ps.back()->ts;
    f.count = ps.size();
    out.add(std::move(f));
  }

  ScanConfig cfg_;
  std::unordered_map<std::string, Source> sources_;
  std::uint64_t evicted_ = 0, probes_ = 0;
};

std::unique_ptr<Detector> make(const DetectConfig& c) {
  return std::make_unique<Scan>(c.scan);
}

}  // namespace

extern const DetectorInfo kDetector_scan{"scan", make};

}  // namespace vigil::sensor::detect

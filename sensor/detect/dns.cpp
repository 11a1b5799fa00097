// DNS abuse, from the DNS analyser's events, per querying client:
//  - tunnelling: many queries under one domain whose labels look encoded (long,
//    high Shannon entropy), or very many distinct names under one domain;
//  - NXDOMAIN storm: many distinct names answered NXDOMAIN within a window
//    (DGA malware probing for its rendezvous domain).
// The "domain" is the last two labels (no public-suffix list: documented
// limit). Per-worker tables merge before judging (--threads independent),
// bounded by max_domains entries and max_names names each.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "sensor/detect/bounded_map.h"
#include "sensor/detect/detector.h"
#include "sensor/output/emitter.h"

namespace vigil::sensor::detect {

namespace {

using core::Severity;

const FindingKind kTunnel{"net.dns.tunneling",
                          Severity::high,
                          "Likely DNS tunnelling",
                          "The host sent many queries under one domain with long, random-looking "
                          "labels (or very many distinct names): the pattern of data carried in "
                          "DNS (iodine, dnscat2, DNS exfiltration).",
                          "T1071.004",
                          "9.2",
                          {"domain"}};
const FindingKind kStorm{"net.dns.nxdomain_storm",
                         Severity::medium,
                         "Burst of NXDOMAIN answers",
                         "Many distinct names queried by the host did not exist, within a short "
                         "window: the pattern of a domain generation algorithm (DGA) or "
                         "misconfiguration.",
                         "T1568.002",
                         "9.2",
                         {}};

constexpr std::size_t kSamples = 5;

double entropy(std::string_view s) {
  int freq[256] = {};
  for (unsigned char c : s) ++freq[c];
  double h = 0;
  for (int f : freq)
    if (f) {
      double p = double(f) / double(s.size());
      h -= p * std::log2(p);
    }
  return h;
}

void add_sample(std::set<std::string>& s, const std::string& name) {
  s.insert(name);
  if (s.size() > kSamples) s.erase(std::prev(s.end()));
}

struct DomainState {
  std::string client, domain;
  std::unordered_set<std::uint64_t> names;  // hashes, capped
  std::uint64_t queries = 0, encoded = 0;
  std::size_t max_label = 0;
  std::int64_t first = INT64_MAX, last = 0;
  std::set<std::string> samples, qtypes;
  std::uint64_t flow_id = 0;  // of the first query
  std::string community_id;
};

struct NxState {
  std::string client;
  std::vector<std::pair<std::int64_t, std::uint64_t>> hits;  // (time, name hash), capped
  std::uint64_t total = 0;
  std::map<std::string, std::uint64_t> domains;
  std::set<std::string> samples;
  std::int64_t last = 0;
};

class Dns final : public Detector {
 public:
  explicit Dns(const DnsConfig& c) : cfg_(c) {}

  void event(const Json& ev, FindingSet&) override {
    if (str_at(ev, "event_type") != "dns") return;
    std::string name = str_at(ev, "dns", "rrname");
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (name.empty() || name.ends_with(".arpa")) return;
    const std::string type = str_at(ev, "dns", "type"), client = str_at(ev, "src_ip");
    const std::int64_t ts = event_time_us(ev);
    const std::string domain = domain_of(name);
    const std::uint64_t h = std::hash<std::string>()(name);
    if (type == "query") {
      DomainState& d = domain_entry(client, domain);
      ++d.queries;
      if (d.names.size() < cfg_.max_names) d.names.insert(h);
      std::size_t longest = 0;
      bool encoded = false;
      for (std::size_t p = 0; p < name.size();) {
        std::size_t q = std::min(name.find('.', p), name.size());
        std::string_view label(name.data() + p, q - p);
        longest = std::max(longest, label.size());
        if (label.size() >= cfg_.min_label_length && entropy(label) >= cfg_.min_entropy)
          encoded = true;
        p = q + 1;
      }
      d.max_label = std::max(d.max_label, longest);
      if (encoded) {
        ++d.encoded;
        add_sample(d.samples, name);
      }
      d.qtypes.insert(str_at(ev, "dns", "rrtype"));
      if (ts < d.first) {
        d.first = ts;
        d.flow_id = ev.value("flow_id", std::uint64_t(0));
        d.community_id = str_at(ev, "community_id");
      }
      d.last = std::max(d.last, ts);
    } else if (type == "answer" && str_at(ev, "dns", "rcode") == "NXDOMAIN") {
      NxState& n = nx_entry(client);
      ++n.total;
      if (n.hits.size() < cfg_.max_names) n.hits.push_back({ts, h});
      if (n.domains.size() < 64 || n.domains.count(domain)) ++n.domains[domain];
      add_sample(n.samples, name);
      n.last = std::max(n.last, ts);
    }
  }

  void merge_into(Detector& shared) override {
    auto& s = static_cast<Dns&>(shared);
    for (auto& [k, d] : domains_) {
      DomainState& t = s.domain_entry(d.client, d.domain);
      for (auto h : d.names)
        if (t.names.size() < cfg_.max_names) t.names.insert(h);
      t.queries += d.queries;
      t.encoded += d.encoded;
      t.max_label = std::max(t.max_label, d.max_label);
      if (std::tie(d.first, d.flow_id) < std::tie(t.first, t.flow_id)) {
        t.first = d.first;
        t.flow_id = d.flow_id;
        t.community_id = d.community_id;
      }
      t.last = std::max(t.last, d.last);
      for (const auto& n : d.samples) add_sample(t.samples, n);
      t.qtypes.insert(d.qtypes.begin(), d.qtypes.end());
    }
    for (auto& [k, n] : nx_) {
      NxState& t = s.nx_entry(n.client);
      for (const auto& hit : n.hits)
        if (t.hits.size() < cfg_.max_names) t.hits.push_back(hit);
      t.total += n.total;
      for (const auto& [d, c] : n.domains)
        if (t.domains.size() < 64 || t.domains.count(d)) t.domains[d] += c;
      for (const auto& x : n.samples) add_sample(t.samples, x);
      t.last = std::max(t.last, n.last);
    }
    s.evicted_ += evicted_;
    domains_.clear();
    nx_.clear();
  }

  void conclude(FindingSet& out) override {
    for (const auto& [k, d] : domains_) {
      if (d.encoded < cfg_.tunnel_min_queries && d.names.size() < cfg_.unique_names) continue;
      nlohmann::json e;
      e["client"] = d.client;
      e["domain"] = d.domain;
      e["queries"] = d.queries;
      e["encoded_label_queries"] = d.encoded;
      e["unique_names"] = d.names.size();
      e["max_label_length"] = d.max_label;
      e["qtypes"] = d.qtypes;
      e["sample_names"] = d.samples;
      e["flow_id"] = d.flow_id;
      e["community_id"] = d.community_id;
      e["time"] = format_ts(d.first);
      core::Finding f = make_finding(kTunnel, d.client, std::move(e), d.first);
      f.last_seen = d.last;
      f.count = d.queries;
      out.add(std::move(f));
    }
    for (auto& [k, n] : nx_) judge_storm(n, out);
  }

  void stats(Json& out) const override { out["entries_evicted"] = evicted_; }

 private:
  static std::string domain_of(const std::string& name) {
    auto last = name.rfind('.');
    if (last == std::string::npos || last == 0) return name;
    auto prev = name.rfind('.', last - 1);
    return prev == std::string::npos ? name : name.substr(prev + 1);
  }

  DomainState& domain_entry(const std::string& client, const std::string& domain) {
    std::string k = client + '|' + domain;
    auto it = domains_.find(k);
    if (it != domains_.end()) return it->second;
    evicted_ += evict_when_full(
        domains_, cfg_.max_domains,
        [](const DomainState& d) { return d.encoded == 0 && d.queries < 4; },
        [](const DomainState& d) { return d.last; });
    DomainState& d = domains_[k];
    d.client = client;
    d.domain = domain;
    return d;
  }

  NxState& nx_entry(const std::string& client) {
    auto it = nx_.find(client);
    if (it != nx_.end()) return it->second;
    evicted_ += evict_when_full(
        nx_, cfg_.max_domains, [](const NxState& n) { return n.total < 2; },
        [](const NxState& n) { return n.last; });
    NxState& n = nx_[client];
    n.client = client;
    return n;
  }

  void judge_storm(NxState& n, FindingSet& out) {
    if (n.hits.size() < cfg_.nxdomain_min) return;
    std::sort(n.hits.begin(), n.hits.end());
    std::unordered_map<std::uint64_t, int> win;
    std::size_t lo = 0, best = 0;
    for (std::size_t hi = 0; hi < n.hits.size(); ++hi) {
      ++win[n.hits[hi].second];
      while (n.hits[hi].first - n.hits[lo].first > cfg_.nxdomain_window_us) {
        if (--win[n.hits[lo].second] == 0) win.erase(n.hits[lo].second);
        ++lo;
      }
      best = std::max(best, win.size());
    }
    if (best < cfg_.nxdomain_min) return;
    std::unordered_set<std::uint64_t> distinct;
    for (const auto& h : n.hits) distinct.insert(h.second);
    nlohmann::json e;
    e["client"] = n.client;
    e["nxdomain_answers"] = n.total;
    e["distinct_names"] = distinct.size();
    e["max_names_in_window"] = best;
    e["window_seconds"] = cfg_.nxdomain_window_us / 1'000'000;
    e["domains"] = n.domains;
    e["sample_names"] = n.samples;
    core::Finding f = make_finding(kStorm, n.client, std::move(e), n.hits.front().first);
    f.last_seen = n.hits.back().first;
    f.count = n.total;
    out.add(std::move(f));
  }

  DnsConfig cfg_;
  std::unordered_map<std::string, DomainState> domains_;
  std::unordered_map<std::string, NxState> nx_;
  std::uint64_t evicted_ = 0;
};

std::unique_ptr<Detector> make(const DetectConfig& c) {
  return std::make_unique<Dns>(c.dns);
}

}  // namespace

extern const DetectorInfo kDetector_dns{"dns", make};

}  // namespace vigil::sensor::detect

// Coverage records (docs/findings-check.md): one `asset.observed` info finding
// per host the sensor saw talking (a flow with packets both ways), so the
// compliance mapper can say `pass` instead of `notchecked`. evidence.covers
// lists only what the sensor could have judged for that host: cleartext and
// insecure protocols and scans for any host seen; TLS negotiation when a TLS
// handshake was parsed; certificates when they were in clear (TLS <= 1.2); DNS
// when the host queried; YARA when rules were loaded.
#include <unordered_map>

#include "sensor/detect/bounded_map.h"
#include "sensor/detect/detector.h"
#include "sensor/output/emitter.h"

namespace vigil::sensor::detect {

namespace {

const FindingKind kObserved{"asset.observed",
                            core::Severity::info,
                            "Host observed on the network",
                            "The sensor saw this host's traffic; the covered finding types would "
                            "have been reported had they occurred.",
                            "",
                            "1.1",
                            {}};

enum : std::uint8_t { kBase = 1, kTls = 2, kCert = 4, kDns = 8, kYara = 16 };

struct Host {
  std::string mac;
  std::uint8_t covers = 0;
  std::uint64_t flows = 0;
  std::int64_t first = INT64_MAX, last = 0;
};

class Observed final : public Detector {
 public:
  explicit Observed(const DetectConfig& c)
      : cap_(c.max_assets), yara_(c.yara.rules != nullptr && c.enabled("yara")) {}

  void flow_end(const Flow& f, FindingSet&) override {
    if (!f.pkts[0] || !f.pkts[1]) return;
    std::uint8_t bits = kBase | (yara_ && f.proto == kProtoTCP ? kYara : 0);
    // One host at a time: making an entry may evict another.
    for (const IpAddr* ip : {&f.cli, &f.srv}) {
      Host& h = host(ip->str());
      h.covers |= bits;
      ++h.flows;
      h.first = std::min(h.first, f.start_us);
      h.last = std::max(h.last, f.last_us);
      if (ip == &f.cli && f.has_mac && h.mac.empty()) {
        char m[18];
        const std::uint8_t* b = f.cli_mac;
        std::snprintf(m, sizeof m, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4],
                      b[5]);
        h.mac = m;
      }
    }
  }

  void event(const Json& ev, FindingSet&) override {
    const std::string type = str_at(ev, "event_type");
    if (type == "tls" && !str_at(ev, "tls", "version").empty()) {
      bool certs = ev["tls"].contains("certificates");
      host(str_at(ev, "dest_ip")).covers |= kTls | (certs ? kCert : 0);
    } else if (type == "dns" && str_at(ev, "dns", "type") == "query") {
      host(str_at(ev, "src_ip")).covers |= kDns;
    }
  }

  void merge_into(Detector& shared) override {
    auto& s = static_cast<Observed&>(shared);
    for (const auto& [ip, h] : hosts_) {
      Host& t = s.host(ip);
      t.covers |= h.covers;
      t.flows += h.flows;
      t.first = std::min(t.first, h.first);
      t.last = std::max(t.last, h.last);
      if (t.mac.empty() || (!h.mac.empty() && h.mac < t.mac)) t.mac = h.mac;
    }
    s.evicted_ += evicted_;
  }

  void conclude(FindingSet& out) override {
    for (const auto& [ip, h] : hosts_) {
      if (!h.flows) continue;  // only a TLS/DNS event, never a two-way flow
      nlohmann::json covers = nlohmann::json::array({"net.auth.", "net.proto.", "net.scan."});
      if (h.covers & kTls)
        for (const char* t :
             {"net.tls.legacy_version", "net.tls.weak_cipher", "net.tls.no_forward_secrecy"})
          covers.push_back(t);
      if (h.covers & kCert) covers.push_back("net.tls.cert.");
      if (h.covers & kDns) covers.push_back("net.dns.");
      if (h.covers & kYara) covers.push_back("net.malware.");
      nlohmann::json e = {{"covers", covers}, {"flows", h.flows}};
      core::Finding f = make_finding(kObserved, ip, std::move(e), h.first);
      f.asset.mac = h.mac;
      f.last_seen = h.last;
      f.count = h.flows;
      out.add(std::move(f));
    }
  }

  void stats(Json& out) const override { out["assets_evicted"] = evicted_; }

 private:
  Host& host(const std::string& ip) {
    auto it = hosts_.find(ip);
    if (it != hosts_.end()) return it->second;
    evicted_ += evict_when_full(
        hosts_, cap_, [](const Host& h) { return h.flows < 2; },
        [](const Host& h) { return h.last; });
    return hosts_[ip];
  }

  std::size_t cap_;
  bool yara_;
  std::unordered_map<std::string, Host> hosts_;
  std::uint64_t evicted_ = 0;
};

std::unique_ptr<Detector> make(const DetectConfig& c) {
  return std::make_unique<Observed>(c);
}

}  // namespace

extern const DetectorInfo kDetector_observed{"observed", make};

}  // namespace vigil::sensor::detect

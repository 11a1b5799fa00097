#include "sensor/detect/engine.h"

#include <algorithm>

namespace vigil::sensor::detect {

namespace {

// One worker's detectors behind the Hooks interface.
class DetectHooks final : public Hooks {
 public:
  explicit DetectHooks(DetectEngine& eng, const std::vector<const DetectorInfo*>& active)
      : eng_(eng), set_(eng.tenant(), eng.worker_config().max_findings) {
    for (const DetectorInfo* d : active) parts_.push_back(d->make(eng.worker_config()));
    for (auto& p : parts_) body_depth_ = std::max(body_depth_, p->http_body_depth());
  }
  ~DetectHooks() override { eng_.merge_worker(parts_, set_); }

  void stream_data(const Flow& f, Dir dir, Bytes data, std::uint64_t offset,
                   std::int64_t ts_us) override {
    for (auto& p : parts_) p->stream_data(f, dir, data, offset, ts_us, set_);
  }
  void http_body(const Flow& f, Dir dir, Bytes body, std::uint64_t length, bool,
                 std::int64_t ts_us) override {
    for (auto& p : parts_) p->http_body(f, dir, body, length, ts_us, set_);
  }
  std::uint64_t http_body_depth() const override { return body_depth_; }
  void event(const Json& ev) override {
    for (auto& p : parts_) p->event(ev, set_);
  }
  void flow_end(const Flow& f) override {
    for (auto& p : parts_) p->flow_end(f, set_);
  }

 private:
  DetectEngine& eng_;
  FindingSet set_;
  std::vector<std::unique_ptr<Detector>> parts_;
  std::uint64_t body_depth_ = 0;
};

}  // namespace

DetectEngine::DetectEngine(DetectConfig cfg, std::string tenant, int threads)
    : cfg_(std::move(cfg)), tenant_(std::move(tenant)), set_(tenant_, cfg_.max_findings) {
  for (const DetectorInfo* d : detectors()) {
    if (!cfg_.enabled(std::string(d->name))) continue;
    if (d->name == "yara" && !cfg_.yara.rules) continue;
    active_.push_back(d);
    shared_.push_back(d->make(cfg_));
  }
  // Per-worker shares of the caps keep the totals bounded for any --threads.
  std::uint32_t n = std::uint32_t(std::max(1, threads));
  worker_cfg_ = cfg_;
  worker_cfg_.scan.max_sources = std::max<std::uint32_t>(1, cfg_.scan.max_sources / n);
  worker_cfg_.dns.max_domains = std::max<std::uint32_t>(1, cfg_.dns.max_domains / n);
  worker_cfg_.yara.memcap = cfg_.yara.memcap / n;
  worker_cfg_.max_assets = std::max<std::uint32_t>(1, cfg_.max_assets / n);
}

DetectEngine::~DetectEngine() = default;

HooksFactory DetectEngine::hooks() {
  if (active_.empty()) return {};
  return
      [this]() -> std::unique_ptr<Hooks> { return std::make_unique<DetectHooks>(*this, active_); };
}

void DetectEngine::merge_worker(std::vector<std::unique_ptr<Detector>>& parts, FindingSet& set) {
  std::lock_guard<std::mutex> lock(mu_);
  for (std::size_t i = 0; i < parts.size() && i < shared_.size(); ++i)
    parts[i]->merge_into(*shared_[i]);
  set_.merge(std::move(set));
}

bool DetectEngine::allowed(const core::Finding& f) const {
  for (const AllowEntry& a : cfg_.allow) {
    if (!a.tenant.empty() && a.tenant != tenant_) continue;
    if (!a.ip.empty() && !ip_matches(f.asset.ip, a.ip)) continue;
    if (a.port >= 0) {
      const auto& e = f.evidence;
      bool hit = (e.contains("port") && e["port"] == a.port) ||
                 (e.contains("dest_port") && e["dest_port"] == a.port);
      if (!hit) continue;
    }
    if (!a.types.empty() && std::none_of(a.types.begin(), a.types.end(), [&](const std::string& t) {
          return f.type.starts_with(t);
        }))
      continue;
    return true;
  }
  return false;
}

std::vector<core::Finding> DetectEngine::findings() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!concluded_) {
    for (auto& d : shared_) d->conclude(set_);
    concluded_ = true;
    for (core::Finding& f : set_.sorted()) {
      if (allowed(f)) {
        ++suppressed_;
        continue;
      }
      core::redact_secrets(f.evidence);
      out_.push_back(std::move(f));
    }
  }
  return out_;
}

Json DetectEngine::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Json j;
  j["findings"] = out_.size();
  j["findings_allowlisted"] = suppressed_;
  j["findings_dropped_cap"] = set_.dropped();
  Json per = Json::object();
  for (std::size_t i = 0; i < shared_.size(); ++i) {
    Json s = Json::object();
    shared_[i]->stats(s);
    if (!s.empty()) per[std::string(active_[i]->name)] = s;
  }
  j["detectors"] = per;
  return j;
}

}  // namespace vigil::sensor::detect

#include "sensor/assets/collector.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace vigil::sensor::assets {

namespace {

class AssetHooks final : public Hooks {
 public:
  AssetHooks(AssetCollector& c, const AssetLimits& limits) : c_(c), inv_(limits) {}
  ~AssetHooks() override { c_.absorb(inv_); }  // the worker ended
  void event(const Json& ev) override { inv_.event(ev); }
  void flow_end(const Flow& f) override { inv_.flow_end(f); }
  std::uint64_t http_body_depth() const override { return 0; }

 private:
  AssetCollector& c_;
  Inventory inv_;
};

}  // namespace

HooksFactory AssetCollector::hooks() {
  return
      [this]() -> std::unique_ptr<Hooks> { return std::make_unique<AssetHooks>(*this, limits_); };
}

void AssetCollector::absorb(const Inventory& worker) {
  std::lock_guard lock(mu_);
  merged_.merge(worker);
}

std::vector<core::AssetRecord> AssetCollector::records(const std::string& tenant,
                                                       const std::string& sensor) {
  std::lock_guard lock(mu_);
  return merged_.records(tenant, sensor);
}

AssetStats AssetCollector::stats() {
  std::lock_guard lock(mu_);
  return merged_.stats();
}

Status write_assets_jsonl(const std::string& path, const std::vector<core::AssetRecord>& records) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Error{path, std::string("cannot write assets: ") + std::strerror(errno)};
  for (const auto& r : records)
    out << core::to_json(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  out.flush();
  if (!out) return Error{path, std::string("write failed: ") + std::strerror(errno)};
  return ok_status();
}

}  // namespace vigil::sensor::assets

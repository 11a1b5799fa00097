// The run-wide asset inventory: each worker fills its own Inventory through a
// Hooks object (no locking on the packet path) and folds it in here, under a
// lock, when the worker ends. Use: cfg.hooks = compose_hooks({..., c.hooks()}),
// run the sensor, then c.records().
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "core/asset/asset_record.h"
#include "core/util/result.h"
#include "sensor/assets/inventory.h"
#include "sensor/engine/hooks.h"

namespace vigil::sensor::assets {

class AssetCollector {
 public:
  explicit AssetCollector(AssetLimits limits = {}) : limits_(limits), merged_(limits) {}
  // One Hooks per worker; the collector must outlive the run.
  HooksFactory hooks();
  void absorb(const Inventory& worker);
  // Call after the run (all workers ended).
  std::vector<core::AssetRecord> records(const std::string& tenant, const std::string& sensor);
  AssetStats stats();

 private:
  AssetLimits limits_;
  std::mutex mu_;
  Inventory merged_;
};

// Writes records as JSON Lines (docs/assets.md); "PATH: reason" on failure.
Status write_assets_jsonl(const std::string& path, const std::vector<core::AssetRecord>& records);

}  // namespace vigil::sensor::assets

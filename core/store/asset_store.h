// The asset inventory store: assets per tenant in the same SQLite file as the
// findings (same migrations). Every statement is prepared with bound
// parameters and carries the tenant: one tenant can never read another's rows.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/asset/asset_record.h"
#include "core/store/sqlite.h"

namespace vigil::store {

struct AssetFilter {
  std::string tenant;       // required
  std::string ip;           // exact, empty = all
  std::optional<int> port;  // assets offering this port (tcp or udp)
};

class AssetStore {
 public:
  // Creates the file when missing and applies the store's migrations.
  static Result<std::unique_ptr<AssetStore>> open(const std::string& path);

  // All or nothing: each record (tenant forced to `tenant`) is merged into the
  // stored one (core::merge_asset). Returns how many assets were new.
  Result<std::size_t> import(const std::string& tenant,
                             const std::vector<core::AssetRecord>& records);
  // Sorted by ip.
  Result<std::vector<core::AssetRecord>> list(const AssetFilter& filter);

 private:
  explicit AssetStore(Db db) : db_(std::move(db)) {}
  Status upsert(const core::AssetRecord& r, bool& fresh);
  Db db_;
};

}  // namespace vigil::store

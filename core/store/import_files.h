// Bulk import of JSON Lines findings files: one thread reads, parses and
// validates while the calling thread writes to SQLite, in one transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/store/finding_store.h"

namespace vigil::store {

struct ImportResult {
  std::size_t added = 0;  // findings written (new + updated)
  bool bulk = false;      // secondary indexes were rebuilt at the end
};

// Sum of the sizes of the files that exist (for progress bars and hints).
std::uint64_t files_size(const std::vector<std::string>& files);

// All or nothing: the first bad line (in file order) fails the whole import
// with Error{"FILE:LINE", reason} and the store unchanged. `progress` gets the
// bytes read so far (all files), now and then.
Result<ImportResult> import_files(FindingStore& store, const std::vector<std::string>& files,
                                  const std::string& tenant, Micros now,
                                  const std::function<void(std::uint64_t)>& progress = {});

}  // namespace vigil::store

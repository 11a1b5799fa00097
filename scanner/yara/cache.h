// The incremental-scan cache: one SQLite file remembering, per (device, inode), the size,
// mtime and ctime a file had when it was last scanned, and what matched. A file whose key
// is unchanged is not read again on the next run; its earlier matches are reported again.
// The compiled rules' hash is stored too: new rules invalidate every entry.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/util/result.h"

namespace vigil::scanner::yara {

struct CacheKey {
  std::uint64_t dev = 0, ino = 0;
  bool operator==(const CacheKey&) const = default;
};
struct CacheKeyHash {
  std::size_t operator()(const CacheKey& k) const { return k.dev * 1000003u ^ k.ino; }
};

struct CacheEntry {
  std::int64_t size = 0, mtime_ns = 0, ctime_ns = 0;
  std::string sha256;   // only for files that matched
  std::string matches;  // JSON array of matches; "[]" = clean
};

class ScanCache {
 public:
  // Creates the file if needed. Entries made with other rules are dropped.
  static Result<std::unique_ptr<ScanCache>> open(const std::string& path,
                                                 const std::string& rules_hash);
  ~ScanCache();

  // Unchanged entry for this file, or nullptr.
  const CacheEntry* lookup(const struct stat& st) const;
  // Stores all results in one transaction.
  Status store(const std::vector<std::pair<struct stat, CacheEntry>>& results);
  std::size_t size() const { return entries_.size(); }

 private:
  ScanCache() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::unordered_map<CacheKey, CacheEntry, CacheKeyHash> entries_;
};

CacheEntry cache_entry_for(const struct stat& st);

}  // namespace vigil::scanner::yara

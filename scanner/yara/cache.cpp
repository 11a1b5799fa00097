#include "scanner/yara/cache.h"

#include <optional>

#include "core/store/sqlite.h"

namespace vigil::scanner::yara {
namespace {

std::int64_t ns(const struct timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

// Same bits, SQLite stores signed 64-bit integers.
std::int64_t to_i64(std::uint64_t v) {
  return static_cast<std::int64_t>(v);
}

}  // namespace

struct ScanCache::Impl {
  std::optional<store::Db> db;
};

CacheEntry cache_entry_for(const struct stat& st) {
  CacheEntry e;
  e.size = st.st_size;
  e.mtime_ns = ns(st.st_mtim);
  e.ctime_ns = ns(st.st_ctim);
  return e;
}

ScanCache::~ScanCache() = default;

Result<std::unique_ptr<ScanCache>> ScanCache::open(const std::string& path,
                                                   const std::string& rules_hash) {
  auto db = store::Db::open(path, true);
  if (!db) return db.error();
  auto c = std::unique_ptr<ScanCache>(new ScanCache());
  c->impl_ = std::make_unique<Impl>();
  c->impl_->db.emplace(std::move(db.value()));
  auto& d = *c->impl_->db;
  if (auto st = d.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                       "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
                       "CREATE TABLE IF NOT EXISTS files(dev INTEGER, ino INTEGER, size INTEGER,"
                       " mtime_ns INTEGER, ctime_ns INTEGER, sha256 TEXT, matches TEXT,"
                       " PRIMARY KEY(dev, ino));");
      !st)
    return st.error();
  auto q = d.prepare("SELECT value FROM meta WHERE key='rules_hash'");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  const std::string old = *row ? q->text(0) : "";
  if (old != rules_hash) {
    if (auto st = d.exec("DELETE FROM files"); !st) return st.error();
    auto up = d.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('rules_hash', ?)");
    if (!up) return up.error();
    if (auto st = up->bind(1, rules_hash).run(); !st) return st.error();
    return c;
  }
  auto all = d.prepare("SELECT dev, ino, size, mtime_ns, ctime_ns, sha256, matches FROM files");
  if (!all) return all.error();
  for (;;) {
    auto r = all->step();
    if (!r) return r.error();
    if (!*r) break;
    CacheEntry e{all->int64(2), all->int64(3), all->int64(4), all->text(5), all->text(6)};
    c->entries_[{static_cast<std::uint64_t>(all->int64(0)),
                 static_cast<std::uint64_t>(all->int64(1))}] = std::move(e);
  }
  return c;
}

const CacheEntry* ScanCache::lookup(const struct stat& st) const {
  auto it = entries_.find({static_cast<std::uint64_t>(st.st_dev), st.st_ino});
  if (it == entries_.end()) return nullptr;
  const CacheEntry k = cache_entry_for(st);
  const CacheEntry& e = it->second;
  if (e.size != k.size || e.mtime_ns != k.mtime_ns || e.ctime_ns != k.ctime_ns) return nullptr;
  return &e;
}

Status ScanCache::store(const std::vector<std::pair<struct stat, CacheEntry>>& results) {
  auto& d = *impl_->db;
  if (auto st = d.exec("BEGIN"); !st) return st.error();
  auto ins = d.prepare(
      "INSERT OR REPLACE INTO files(dev, ino, size, mtime_ns, ctime_ns, sha256, matches)"
      " VALUES(?, ?, ?, ?, ?, ?, ?)");
  if (!ins) return ins.error();
  for (const auto& [st, e] : results) {
    ins->reset();
    ins->bind(1, to_i64(st.st_dev))
        .bind(2, to_i64(st.st_ino))
        .bind(3, e.size)
        .bind(4, e.mtime_ns)
        .bind(5, e.ctime_ns)
        .bind(6, e.sha256)
        .bind(7, e.matches);
    if (auto r = ins->run(); !r) {
      (void)d.exec("ROLLBACK");
      return r.error();
    }
  }
  return d.exec("COMMIT");
}

}  // namespace vigil::scanner::yara

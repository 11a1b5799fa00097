#include "core/store/asset_store.h"

#include "core/store/finding_store.h"

namespace vigil::store {

namespace {

// The stored document: the record without the tenant (that is the row's key).
std::string doc_of(const core::AssetRecord& r) {
  auto j = core::to_json(r);
  j.erase("tenant");
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<core::AssetRecord> record_of(const std::string& tenant, const std::string& doc) {
  auto j = nlohmann::json::parse(doc, nullptr, false);
  if (j.is_discarded()) return Error{"", "stored asset is not JSON"};
  auto r = core::asset_from_json(j);
  if (!r) return Error{"", "stored asset: " + r.error().what};
  r->tenant = tenant;
  return r;
}

}  // namespace

Result<std::unique_ptr<AssetStore>> AssetStore::open(const std::string& path) {
  // The findings store owns the one migration list: opening it brings the
  // file to the latest schema, assets tables included.
  {
    auto fs = FindingStore::open(path);
    if (!fs) return fs.error();
  }
  auto db = Db::open(path, false);
  if (!db) return db.error();
  if (auto r = db->exec("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;"); !r)
    return r.error();
  return std::unique_ptr<AssetStore>(new AssetStore(std::move(*db)));
}

Status AssetStore::upsert(const core::AssetRecord& in, bool& fresh) {
  core::AssetRecord r = in;
  auto get = db_.prepare("SELECT doc FROM assets WHERE tenant = ?1 AND ip = ?2");
  if (!get) return get.error();
  get->bind(1, r.tenant).bind(2, r.ip);
  auto row = get->step();
  if (!row) return row.error();
  fresh = !*row;
  if (*row) {
    auto stored = record_of(r.tenant, get->text(0));
    if (!stored) return stored.error();
    core::merge_asset(*stored, r);
    r = std::move(*stored);
  }
  auto put = db_.prepare(
      "INSERT INTO assets (tenant, ip, mac, first_seen, last_seen, doc) VALUES (?1, ?2, ?3, ?4, "
      "?5, ?6) ON CONFLICT (tenant, ip) DO UPDATE SET mac = excluded.mac, first_seen = "
      "excluded.first_seen, last_seen = excluded.last_seen, doc = excluded.doc");
  if (!put) return put.error();
  put->bind(1, r.tenant).bind(2, r.ip).bind(3, r.mac).bind(4, r.first_seen);
  put->bind(5, r.last_seen).bind(6, doc_of(r));
  if (auto s = put->run(); !s) return s;
  auto del = db_.prepare("DELETE FROM asset_services WHERE tenant = ?1 AND ip = ?2");
  if (!del) return del.error();
  del->bind(1, r.tenant).bind(2, r.ip);
  if (auto s = del->run(); !s) return s;
  auto svc = db_.prepare(
      "INSERT OR IGNORE INTO asset_services (tenant, ip, port, transport) VALUES (?1, ?2, ?3, ?4)");
  if (!svc) return svc.error();
  for (const auto& s : r.services) {
    svc->bind(1, r.tenant).bind(2, r.ip).bind(3, std::int64_t{s.port}).bind(4, s.transport);
    if (auto st = svc->run(); !st) return st;
  }
  return ok_status();
}

Result<std::size_t> AssetStore::import(const std::string& tenant,
                                       const std::vector<core::AssetRecord>& records) {
  if (tenant.empty()) return Error{"", "a tenant is required"};
  if (auto s = db_.exec("BEGIN IMMEDIATE"); !s) return s.error();
  std::size_t fresh_count = 0;
  for (const auto& rec : records) {
    core::AssetRecord r = rec;
    r.tenant = tenant;
    bool fresh = false;
    if (auto s = upsert(r, fresh); !s) {
      (void)db_.exec("ROLLBACK");
      return Error{r.ip, s.error().what};
    }
    fresh_count += fresh;
  }
  if (auto s = db_.exec("COMMIT"); !s) {
    (void)db_.exec("ROLLBACK");
    return s.error();
  }
  return fresh_count;
}

Result<std::vector<core::AssetRecord>> AssetStore::list(const AssetFilter& f) {
  // Optional filters as "?N IS NULL OR ..." so the SQL text is fixed.
  auto q = db_.prepare(
      "SELECT doc FROM assets a WHERE a.tenant = ?1 AND (?2 IS NULL OR a.ip = ?2) AND (?3 IS NULL "
      "OR EXISTS (SELECT 1 FROM asset_services s WHERE s.tenant = a.tenant AND s.ip = a.ip AND "
      "s.port = ?3)) ORDER BY a.ip");
  if (!q) return q.error();
  q->bind(1, f.tenant);
  if (f.ip.empty())
    q->bind_null(2);
  else
    q->bind(2, f.ip);
  if (f.port)
    q->bind(3, std::int64_t{*f.port});
  else
    q->bind_null(3);
  std::vector<core::AssetRecord> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) break;
    auto r = record_of(f.tenant, q->text(0));
    if (!r) return r.error();
    out.push_back(std::move(*r));
  }
  return out;
}

}  // namespace vigil::store

// Forward-only schema migrations, numbered by PRAGMA user_version. Never edit
// a released step: add the next one.
#include "core/store/finding_store.h"

namespace vigil::store {
namespace {

constexpr const char* kMigrations[] = {
    // 1: findings keyed by (tenant, id), audit history of status changes.
    // A rowid table: rows append in import order and only the small indexes
    // take random inserts (the SHA-256 ids are random by design).
    R"sql(
CREATE TABLE findings (
  rowid INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  source TEXT NOT NULL,
  type TEXT NOT NULL,
  severity INTEGER NOT NULL,
  confidence REAL NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  asset_ip TEXT NOT NULL,
  asset_mac TEXT NOT NULL,
  asset_hostname TEXT NOT NULL,
  asset_host_id TEXT NOT NULL,
  evidence TEXT NOT NULL,
  fingerprint_fields TEXT NOT NULL,
  refs TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  count INTEGER NOT NULL,
  status TEXT NOT NULL,
  UNIQUE (tenant, id)
);
CREATE INDEX findings_by_last_seen ON findings (tenant, last_seen);
CREATE INDEX findings_by_severity ON findings (tenant, severity, last_seen);
CREATE INDEX findings_by_type ON findings (tenant, type);
-- Asset look-ups (list --asset) by IP, name or host id use these; a MAC is
-- matched by scanning the tenant's rows (each index costs every import).
CREATE INDEX findings_by_ip ON findings (tenant, asset_ip);
CREATE INDEX findings_by_hostname ON findings (tenant, asset_hostname COLLATE NOCASE);
CREATE INDEX findings_by_host_id ON findings (tenant, asset_host_id);
CREATE TABLE finding_history (
  seq INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  at INTEGER NOT NULL,
  by TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX finding_history_by_id ON finding_history (tenant, id, seq);
-- A resolved finding seen again by a later import is reopened, and the audit
-- trail says so (set-status never changes last_seen, so it does not fire this).
CREATE TRIGGER findings_reopened AFTER UPDATE OF status ON findings
WHEN OLD.status = 'resolved' AND NEW.status = 'new' AND NEW.last_seen > OLD.last_seen
BEGIN
  INSERT INTO finding_history (tenant, id, at, by, from_status, to_status, note)
  VALUES (NEW.tenant, NEW.id, NEW.last_seen, 'vigil import', 'resolved', 'new',
          'reopened: seen again after it was resolved');
END;
)sql",
    // 2: passive asset inventory (docs/assets.md), one row per (tenant, ip);
    // `doc` is the merged record, the columns are what list filters on.
    R"sql(
CREATE TABLE assets (
  rowid INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  ip TEXT NOT NULL,
  mac TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  doc TEXT NOT NULL,
  UNIQUE (tenant, ip)
);
-- --service PORT: one row per (asset, port, transport), rebuilt on upsert.
CREATE TABLE asset_services (
  tenant TEXT NOT NULL,
  ip TEXT NOT NULL,
  port INTEGER NOT NULL,
  transport TEXT NOT NULL,
  PRIMARY KEY (tenant, ip, port, transport)
) WITHOUT ROWID;
CREATE INDEX asset_services_by_port ON asset_services (tenant, port);
)sql",
    // 3: `list --status S` scanned every row of the tenant (2.5 s on a
    // million findings); this index serves it newest first.
    R"sql(
CREATE INDEX findings_by_status ON findings (tenant, status, last_seen);
)sql",
};

}  // namespace

Status FindingStore::migrate() {
  auto q = db_.prepare("PRAGMA user_version");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  const int have = static_cast<int>(q->int64(0));
  q->reset();
  constexpr int kLatest = static_cast<int>(std::size(kMigrations));
  static_assert(kLatest == FindingStore::kSchemaVersion);
  if (have > kLatest)
    return Error{db_.path(), "database schema version " + std::to_string(have) +
                                 " is newer than this vigil supports (" + std::to_string(kLatest) +
                                 ")"};
  for (int v = have; v < kLatest; ++v) {
    if (auto s = db_.exec("BEGIN IMMEDIATE"); !s) return s;
    auto s = db_.exec(kMigrations[v]);
    if (s) {
      const std::string pragma = "PRAGMA user_version = " + std::to_string(v + 1);
      s = db_.exec(pragma.c_str());
    }
    if (!s) {
      (void)db_.exec("ROLLBACK");
      return Error{db_.path(),
                   "migration to schema " + std::to_string(v + 1) + " failed: " + s.error().what};
    }
    if (auto c = db_.exec("COMMIT"); !c) return c;
  }
  // An upgraded store with planner statistics has none for the indexes a
  // migration just added, and SQLite then trusts them blindly: after
  // migration 3 a million-row store sorted every row for `list --limit 100`
  // (4 s) until the next large import re-ran ANALYZE. Refresh them once.
  if (have > 0 && have < kLatest) {
    auto stats = db_.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'");
    if (!stats) return stats.error();
    auto row = stats->step();
    if (!row) return row.error();
    stats->reset();
    if (*row) return db_.exec("ANALYZE");
  }
  return ok_status();
}

}  // namespace vigil::store

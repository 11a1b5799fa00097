// Forward-only schema migrations, numbered by PRAGMA user_version. Never edit
// a released step: add the next one.
#include "core/store/finding_store.h"
#include "core/store/lookup_tables.h"

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
    // 4: import and list speed (docs/findings.md, "How the store is laid
    // out"). SQLite builds an index by sorting the table's keys, which are in
    // random order (~1.3 s per index per million rows), and the UNIQUE
    // constraint's index took a random insert per imported row. So the
    // table is rebuilt without indexes (an automatic one cannot be dropped)
    // and every look-up moves to a narrow WITHOUT ROWID table that triggers
    // keep in step with the rows; a bulk import refills them in key order
    // instead (refill_lookup_tables), ~0.5 us a row. finding_keys enforces
    // one row per (tenant, id); finding_times serves newest-first lists and
    // holds severity and type, so those filters never read the wide row;
    // `--status` other than new keeps a small partial index. The list
    // queries name their access path, so no plan depends on ANALYZE.
    R"sql(
CREATE TABLE findings_v4 (
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
  status TEXT NOT NULL
);
INSERT INTO findings_v4 SELECT rowid, tenant, id, schema_version, source, type, severity,
  confidence, title, description, asset_ip, asset_mac, asset_hostname, asset_host_id, evidence,
  fingerprint_fields, refs, first_seen, last_seen, count, status FROM findings;
DROP TABLE findings;
ALTER TABLE findings_v4 RENAME TO findings;
CREATE INDEX findings_by_status ON findings (tenant, status, last_seen) WHERE status <> 'new';
CREATE TABLE finding_keys (
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  rid INTEGER NOT NULL,
  PRIMARY KEY (tenant, id)
) WITHOUT ROWID;
-- Newest first per tenant; severity and type ride along for filtering.
CREATE TABLE finding_times (
  tenant TEXT NOT NULL,
  last_seen INTEGER NOT NULL,
  rid INTEGER NOT NULL,
  severity INTEGER NOT NULL,
  type TEXT NOT NULL,
  PRIMARY KEY (tenant, last_seen, rid)
) WITHOUT ROWID;
-- One entry per non-empty asset identifier of a finding: 'i:' ip,
-- 'm:' mac (lower case), 'n:' hostname (lower case), 'h:' host id.
CREATE TABLE finding_assets (
  tenant TEXT NOT NULL,
  asset TEXT NOT NULL,
  rid INTEGER NOT NULL,
  PRIMARY KEY (tenant, asset, rid)
) WITHOUT ROWID;
-- The one SQL definition of those keys (the triggers read it; the C++
-- refill makes the same ones and a test compares the two).
CREATE VIEW finding_asset_keys (tenant, asset, rid) AS
  SELECT tenant, 'i:' || asset_ip, rowid FROM findings WHERE asset_ip <> ''
  UNION ALL
  SELECT tenant, 'm:' || lower(asset_mac), rowid FROM findings WHERE asset_mac <> ''
  UNION ALL
  SELECT tenant, 'n:' || lower(asset_hostname), rowid FROM findings WHERE asset_hostname <> ''
  UNION ALL
  SELECT tenant, 'h:' || asset_host_id, rowid FROM findings WHERE asset_host_id <> '';
-- Filled from the rows by refill_lookup_tables() right after this step (and
-- by every bulk import, which drops the findings_index_* triggers); every
-- other write goes through these.
CREATE TRIGGER findings_index_insert AFTER INSERT ON findings BEGIN
  INSERT INTO finding_keys VALUES (NEW.tenant, NEW.id, NEW.rowid);
  INSERT INTO finding_times VALUES (NEW.tenant, NEW.last_seen, NEW.rowid, NEW.severity, NEW.type);
  INSERT INTO finding_assets SELECT * FROM finding_asset_keys WHERE rid = NEW.rowid;
END;
CREATE TRIGGER findings_index_delete AFTER DELETE ON findings BEGIN
  DELETE FROM finding_keys WHERE tenant = OLD.tenant AND id = OLD.id;
  DELETE FROM finding_times
    WHERE tenant = OLD.tenant AND last_seen = OLD.last_seen AND rid = OLD.rowid;
  DELETE FROM finding_assets WHERE tenant = OLD.tenant AND rid = OLD.rowid
    AND asset IN ('i:' || OLD.asset_ip, 'm:' || lower(OLD.asset_mac),
                  'n:' || lower(OLD.asset_hostname), 'h:' || OLD.asset_host_id);
END;
-- An import's merge names last_seen, severity and the asset columns in
-- every update; the WHEN clauses skip the work when nothing changed.
CREATE TRIGGER findings_index_update_key AFTER UPDATE OF tenant, id ON findings
WHEN OLD.tenant IS NOT NEW.tenant OR OLD.id IS NOT NEW.id BEGIN
  DELETE FROM finding_keys WHERE tenant = OLD.tenant AND id = OLD.id;
  INSERT INTO finding_keys VALUES (NEW.tenant, NEW.id, NEW.rowid);
END;
CREATE TRIGGER findings_index_update_time AFTER UPDATE OF tenant, last_seen, severity, type
  ON findings
WHEN OLD.tenant IS NOT NEW.tenant OR OLD.last_seen IS NOT NEW.last_seen
  OR OLD.severity IS NOT NEW.severity OR OLD.type IS NOT NEW.type BEGIN
  DELETE FROM finding_times
    WHERE tenant = OLD.tenant AND last_seen = OLD.last_seen AND rid = OLD.rowid;
  INSERT INTO finding_times VALUES (NEW.tenant, NEW.last_seen, NEW.rowid, NEW.severity, NEW.type);
END;
CREATE TRIGGER findings_index_update_asset AFTER UPDATE OF tenant, asset_ip, asset_mac,
  asset_hostname, asset_host_id ON findings
WHEN OLD.tenant IS NOT NEW.tenant OR OLD.asset_ip IS NOT NEW.asset_ip
  OR OLD.asset_mac IS NOT NEW.asset_mac OR OLD.asset_hostname IS NOT NEW.asset_hostname
  OR OLD.asset_host_id IS NOT NEW.asset_host_id BEGIN
  DELETE FROM finding_assets WHERE tenant = OLD.tenant AND rid = OLD.rowid
    AND asset IN ('i:' || OLD.asset_ip, 'm:' || lower(OLD.asset_mac),
                  'n:' || lower(OLD.asset_hostname), 'h:' || OLD.asset_host_id);
  INSERT INTO finding_assets SELECT * FROM finding_asset_keys WHERE rid = NEW.rowid;
END;
-- Dropped with the old table; the same trigger as schema 1's.
CREATE TRIGGER findings_reopened AFTER UPDATE OF status ON findings
WHEN OLD.status = 'resolved' AND NEW.status = 'new' AND NEW.last_seen > OLD.last_seen
BEGIN
  INSERT INTO finding_history (tenant, id, at, by, from_status, to_status, note)
  VALUES (NEW.tenant, NEW.id, NEW.last_seen, 'vigil import', 'resolved', 'new',
          'reopened: seen again after it was resolved');
END;
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
    if (s && v + 1 == 4) s = refill_lookup_tables(db_);
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
  return ok_status();
}

}  // namespace vigil::store

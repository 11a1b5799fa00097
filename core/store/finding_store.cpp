#include "core/store/finding_store.h"

#include <climits>

#include "core/store/list_query.h"
#include "core/store/lookup_tables.h"
#include "core/util/json_text.h"

namespace vigil::store {

using core::Finding;
using nlohmann::json;

namespace {

constexpr const char* kInsert = R"sql(
INSERT INTO findings (tenant, id, schema_version, source, type, severity, confidence, title,
  description, asset_ip, asset_mac, asset_hostname, asset_host_id, evidence, fingerprint_fields,
  refs, first_seen, last_seen, count, status)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
)sql";

// Re-seeing a finding grows count and widens the seen window; what the
// analyst decided (status) stays, except that a resolved finding reopens.
// `excluded` is the finding being imported, `findings` the stored row.
constexpr const char* kMerge = R"sql(
  severity = excluded.severity,
  confidence = excluded.confidence,
  title = excluded.title,
  description = excluded.description,
  evidence = CASE WHEN excluded.last_seen >= findings.last_seen THEN excluded.evidence
                  ELSE findings.evidence END,
  refs = excluded.refs,
  asset_ip = CASE WHEN excluded.asset_ip <> '' THEN excluded.asset_ip ELSE findings.asset_ip END,
  asset_mac = CASE WHEN excluded.asset_mac <> '' THEN excluded.asset_mac ELSE findings.asset_mac END,
  asset_hostname = CASE WHEN excluded.asset_hostname <> '' THEN excluded.asset_hostname
                        ELSE findings.asset_hostname END,
  asset_host_id = CASE WHEN excluded.asset_host_id <> '' THEN excluded.asset_host_id
                       ELSE findings.asset_host_id END,
  first_seen = min(findings.first_seen, excluded.first_seen),
  last_seen = max(findings.last_seen, excluded.last_seen),
  count = findings.count + excluded.count,
  status = CASE WHEN findings.status = 'resolved' AND excluded.last_seen > findings.last_seen
                THEN 'new' ELSE findings.status END
)sql";

// The merge as an update of row ?21 (found in finding_keys, or by a bulk
// import in its RowIndex): `excluded` is made from the insert's 20
// parameters, as ON CONFLICT would name them.
constexpr const char* kMergeInto = R"sql(
FROM (SELECT ?1 AS tenant, ?2 AS id, ?3 AS schema_version, ?4 AS source, ?5 AS type,
             ?6 AS severity, ?7 AS confidence, ?8 AS title, ?9 AS description, ?10 AS asset_ip,
             ?11 AS asset_mac, ?12 AS asset_hostname, ?13 AS asset_host_id, ?14 AS evidence,
             ?15 AS fingerprint_fields, ?16 AS refs, ?17 AS first_seen, ?18 AS last_seen,
             ?19 AS count, ?20 AS status) AS excluded
WHERE findings.rowid = ?21
)sql";

void decode_json_columns(const core::FindingView& row, Finding& f) {
  f.evidence = json::parse(row.evidence_json, nullptr, false);
  if (!f.evidence.is_object()) f.evidence = json::object();
  json ff = json::parse(row.fingerprint_fields_json, nullptr, false);
  if (ff.is_array())
    for (auto& e : ff)
      if (e.is_string()) f.fingerprint_fields.push_back(e.get<std::string>());
  json refs = json::parse(row.references_json, nullptr, false);
  if (refs.is_array())
    for (auto& r : refs)
      if (r.is_object()) f.references.push_back({r.value("framework", ""), r.value("id", "")});
}

Finding row_to_finding(const Stmt& s) {
  const core::FindingView row = row_view(s);
  Finding f = row.bare();
  decode_json_columns(row, f);
  return f;
}

// Where a bulk import looks up (tenant, id); std::hash is 64-bit murmur.
std::uint64_t key_hash(std::string_view tenant, std::string_view id) {
  const std::uint64_t t = std::hash<std::string_view>{}(tenant);
  return std::hash<std::string_view>{}(id) ^ (t + 0x9e3779b97f4a7c15ULL + (t << 6) + (t >> 2));
}

}  // namespace

Result<std::unique_ptr<FindingStore>> FindingStore::open(const std::string& path) {
  auto db = Db::open(path, true);
  if (!db) return db.error();
  std::unique_ptr<FindingStore> s(new FindingStore(std::move(*db)));
  // WAL: readers (list, reports) never block the scheduled import.
  if (auto r = s->db_.exec(
          // Takes effect only when the file is created: the narrow look-up
          // tables, filled in key order, cost 40% less to fill on 16 KiB pages.
          "PRAGMA page_size = 16384;"
          "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
          "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;"
          // Reads map the file instead of a pread() per page: a list that
          // touches thousands of scattered rows spends less time in syscalls,
          // and a bulk import's refill reads every row back (through pread
          // +0.6 s CPU per million; the mapped pages are page cache).
          "PRAGMA mmap_size = 1073741824;");
      !r)
    return r.error();
  if (auto r = s->migrate(); !r) return r.error();
  if (auto r = s->prepare_all(); !r) return r.error();
  return s;
}

Status FindingStore::prepare_all() {
  auto p = [&](Stmt& out, const char* sql) -> Status {
    auto st = db_.prepare(sql);
    if (!st) return st.error();
    out = std::move(*st);
    return ok_status();
  };
  const std::string merge_into = std::string("UPDATE findings SET") + kMerge + kMergeInto;
  if (auto r = p(insert_, kInsert); !r) return r;
  if (auto r = p(update_at_, merge_into.c_str()); !r) return r;
  if (auto r = p(key_at_, "SELECT tenant, id FROM findings WHERE rowid = ?1"); !r) return r;
  if (auto r = p(row_of_, "SELECT rid FROM finding_keys WHERE tenant = ?1 AND id = ?2"); !r)
    return r;
  if (auto r = p(begin_, "BEGIN IMMEDIATE"); !r) return r;
  if (auto r = p(begin_exclusive_, "BEGIN EXCLUSIVE"); !r) return r;
  if (auto r = p(commit_, "COMMIT"); !r) return r;
  return p(rollback_, "ROLLBACK");
}

Result<bool> FindingStore::use_rollback_journal() {
  auto any = db_.prepare("SELECT EXISTS (SELECT 1 FROM findings)");
  if (!any) return any.error();
  auto row = any->step();
  if (!row) return row.error();
  const bool empty = any->int64(0) == 0;
  any->reset();
  if (!empty) return false;
  // Leaving WAL needs the only connection to the file: with a reader
  // attached SQLite keeps WAL (or answers busy) and so does this import.
  auto mode = db_.prepare("PRAGMA journal_mode = DELETE");
  if (!mode) return mode.error();
  auto got = mode->step();
  const bool switched = got && *got && mode->text_view(0) == "delete";
  mode->reset();
  if (!switched) {
    restore_wal();
    return false;
  }
  // FULL: the journal and the database are synced in the order SQLite's
  // rollback guarantees rely on, also on older file systems.
  if (auto r = db_.exec("PRAGMA synchronous = FULL"); !r) {
    restore_wal();
    return r.error();
  }
  return true;
}

void FindingStore::restore_wal() {
  // Fails harmlessly when a reader attached meanwhile: the store then stays
  // in rollback mode until the next open(), which asks for WAL again.
  (void)db_.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
}

Result<Import> FindingStore::begin_import(std::uint64_t expected, std::size_t held_window) {
  // A bulk load into an empty store writes its pages once, into the
  // database file, through a rollback journal instead of the WAL: pages
  // beyond the original end of the file need no journal copy (a rollback
  // truncates), where WAL writes every page twice (log, then checkpoint).
  // All or nothing holds the same way (a crash leaves a hot journal that
  // the next open rolls back); BEGIN EXCLUSIVE means no reader can stall the
  // import halfway (readers of the empty store wait for it instead).
  bool rollback_journal = false;
  if (expected >= kBulkMinimum) {
    auto r = use_rollback_journal();
    if (!r) return r.error();
    rollback_journal = *r;
  }
  if (auto r = (rollback_journal ? begin_exclusive_ : begin_).run(); !r) {
    if (rollback_journal) restore_wal();
    return r.error();
  }
  Import imp(*this);
  imp.rollback_journal_ = rollback_journal;
  if (expected < kBulkMinimum) return imp;
  auto rows = db_.prepare("SELECT coalesce(max(rowid), 0) FROM findings");
  if (!rows) return rows.error();
  if (auto r = rows->step(); !r) return r.error();
  const auto have = static_cast<std::uint64_t>(rows->int64(0));
  rows->reset();  // a statement left running would block the DROP INDEX below
  if (have > expected) return imp;
  // The definitions come from the schema itself, so whatever index a later
  // migration adds is dropped and rebuilt the same way. Triggers last: they
  // may name the indexes' tables.
  auto ddl = db_.prepare(
      "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'findings' AND sql IS NOT NULL "
      "AND (type = 'index' OR (type = 'trigger' AND substr(name, 1, 15) = 'findings_index_')) "
      "ORDER BY type, name");
  if (!ddl) return ddl.error();
  std::vector<std::string> drops;
  for (;;) {
    auto row = ddl->step();
    if (!row) return row.error();
    if (!*row) break;
    drops.push_back("DROP " + ddl->text(0) + " \"" + ddl->text(1) + "\"");
    imp.deferred_schema_.push_back(ddl->text(2));
  }
  ddl->reset();
  drops.push_back("DELETE FROM finding_keys");
  drops.push_back("DELETE FROM finding_times");
  drops.push_back("DELETE FROM finding_assets");
  for (const auto& sql : drops)
    if (auto r = db_.exec(sql.c_str()); !r) return r.error();
  // Rows already stored (at most `expected` of them) may be seen again.
  auto keys = db_.prepare("SELECT rowid, tenant, id FROM findings");
  if (!keys) return keys.error();
  for (;;) {
    auto row = keys->step();
    if (!row) return row.error();
    if (!*row) break;
    imp.rows_.add(key_hash(keys->text_view(1), keys->text_view(2)), keys->int64(0));
  }
  imp.bulk_ = true;
  imp.held_ = HeldRows(held_window);
  return imp;
}

Import::Import(Import&& o) noexcept
    : store_(o.store_),
      open_(o.open_),
      rollback_journal_(o.rollback_journal_),
      bulk_(o.bulk_),
      added_(o.added_),
      deferred_schema_(std::move(o.deferred_schema_)),
      rows_(std::move(o.rows_)),
      held_(std::move(o.held_)),
      failed_tag_(o.failed_tag_) {
  o.open_ = false;
  o.rollback_journal_ = false;
  o.bulk_ = false;
}

Import::~Import() {
  if (open_) (void)store_->rollback_.run();
  if (rollback_journal_) store_->restore_wal();
}

void Import::prefetch(const Finding& f) const {
  if (bulk_) rows_.prefetch(key_hash(f.tenant, f.id));
}

Status Import::add(const Finding& f) {
  return add(f, f.evidence.dump());
}

Status Import::add(const Finding& f, std::string_view evidence_json, std::uint64_t tag) {
  // The same text nlohmann's dump() gives for these arrays, written into
  // buffers reused across rows instead of a JSON value built per finding.
  std::string& refs = refs_buf_;
  std::string& fields = fields_buf_;
  refs = "[";
  for (const auto& r : f.references) {
    if (refs.size() > 1) refs += ',';
    refs += R"({"framework":)";
    append_json_string(refs, r.framework);
    refs += R"(,"id":)";
    append_json_string(refs, r.id);
    refs += '}';
  }
  refs += ']';
  fields = "[";
  for (const auto& name : f.fingerprint_fields) {
    if (fields.size() > 1) fields += ',';
    append_json_string(fields, name);
  }
  fields += ']';
  RowValues v;
  v.text = {f.tenant,
            f.id,
            core::to_string(f.source),
            f.type,
            f.title,
            f.description,
            f.asset.ip,
            f.asset.mac,
            f.asset.hostname,
            f.asset.host_id,
            evidence_json,
            fields,
            refs,
            core::to_string(f.status)};
  v.num = {.schema_version = f.schema_version,
           .severity = static_cast<int>(f.severity),
           .first_seen = f.first_seen,
           .last_seen = f.last_seen,
           .count = static_cast<std::int64_t>(f.count),
           .confidence = f.confidence};
  if (bulk_) return add_bulk(v, tag);
  // The stored row this finding repeats, if any.
  std::int64_t merge_into = 0;
  Stmt& key = store_->row_of_;
  key.bind_ref(1, f.tenant).bind_ref(2, f.id);
  auto row = key.step();
  if (row && *row) merge_into = key.int64(0);
  key.reset();
  if (!row) return row.error();
  if (auto r = write_row(v, merge_into); !r) return r;
  ++added_;
  return ok_status();
}

Status Import::add_bulk(const RowValues& v, std::uint64_t tag) {
  const std::string_view tenant = v.text[RowValues::tenant], id = v.text[RowValues::id];
  const std::uint64_t hash = key_hash(tenant, id);
  Stmt& key = store_->key_at_;
  std::optional<Error> failed;
  const std::int64_t found = rows_.find(hash, [&](std::int64_t rowid) {
    if (rowid < 0) return held_.is(static_cast<std::uint32_t>(-rowid), tenant, id);
    key.bind(1, rowid);
    auto row = key.step();
    const bool same = row && *row && key.text_view(0) == tenant && key.text_view(1) == id;
    if (!row) failed = row.error();
    key.reset();
    return same || failed;
  });
  if (failed) return *failed;
  if (found > 0) {
    if (auto r = write_row(v, found); !r) return r;
  } else if (found < 0) {
    held_.hold(v, hash, tag, static_cast<std::uint32_t>(-found));
  } else {
    rows_.add(hash, -std::int64_t{held_.hold(v, hash, tag)});
  }
  ++added_;
  return held_.full() ? write_held() : ok_status();
}

// A new row (merge_into 0) or the merge of `v` into stored row `merge_into`.
Status Import::write_row(const RowValues& v, std::int64_t merge_into) {
  Stmt& s = merge_into ? store_->update_at_ : store_->insert_;
  bind_row(s, v);
  if (merge_into) s.bind(21, merge_into);
  return s.run();
}

Status Import::write_held() {
  std::uint64_t tag = 0;
  auto r = held_.write(
      [&](const RowValues& v, std::uint64_t hash, std::uint32_t n) -> Result<std::int64_t> {
        if (auto w = write_row(v, 0); !w) return w.error();
        const std::int64_t rowid = store_->db_.last_insert_rowid();
        rows_.replace(hash, -std::int64_t{n}, rowid);
        return rowid;
      },
      [&](const RowValues& v, std::int64_t rowid) { return write_row(v, rowid); }, tag);
  if (!r) failed_tag_ = tag;
  return r;
}

Status Import::commit() {
  Status s = commit_and_rebuild();
  if (rollback_journal_) store_->restore_wal();
  rollback_journal_ = false;
  return s;
}

Status Import::commit_and_rebuild() {
  open_ = false;
  auto fail = [&](Error e) -> Status {
    (void)store_->rollback_.run();
    return e;
  };
  if (bulk_) {
    if (auto r = write_held(); !r) return fail(r.error());
    rows_ = RowIndex{};
    // Rebuilt inside the transaction: the store is never seen without them.
    if (auto r = refill_lookup_tables(store_->db_); !r) return fail(r.error());
    for (const auto& sql : deferred_schema_)
      if (auto r = store_->db_.exec(sql.c_str()); !r) return fail(r.error());
  }
  if (auto r = store_->commit_.run(); !r) return fail(r.error());
  return ok_status();
}

Result<std::vector<Finding>> FindingStore::list(const ListFilter& f) {
  std::vector<Finding> out;
  auto r = visit(f, [&out](const StoredFinding& row) {
    out.push_back(row.bare());
    decode_json_columns(row, out.back());
  });
  if (!r) return r.error();
  return out;
}

Status FindingStore::visit(const ListFilter& f,
                           const std::function<void(const StoredFinding&)>& visit) {
  if (f.tenant.empty()) return Error{"", "a tenant is required"};
  auto st = db_.prepare(list_sql(f, false));
  if (!st) return st.error();
  Stmt& s = *st;
  bind_list(s, f);
  for (;;) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) break;
    visit(row_view(s));
  }
  return ok_status();
}

Result<std::optional<Finding>> FindingStore::get(const std::string& tenant, const std::string& id) {
  auto st = db_.prepare(std::string("SELECT ") + kColumns +
                        " FROM finding_keys AS k CROSS JOIN findings AS f ON f.rowid = k.rid "
                        "WHERE k.tenant = ?1 AND k.id = ?2 AND f.tenant = ?1");
  if (!st) return st.error();
  st->bind(1, tenant).bind(2, id);
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return std::optional<Finding>{};
  return std::optional<Finding>{row_to_finding(*st)};
}

Result<std::int64_t> FindingStore::count(const std::string& tenant) {
  auto st = db_.prepare("SELECT count(*) FROM finding_times WHERE tenant = ?1");
  if (!st) return st.error();
  st->bind(1, tenant);
  auto row = st->step();
  if (!row) return row.error();
  return st->int64(0);
}

Status FindingStore::set_status(const std::string& tenant, const std::string& id, core::Status to,
                                const std::string& note, const std::string& by) {
  if (tenant.empty()) return Error{"", "a tenant is required"};
  if (auto r = begin_.run(); !r) return r;
  auto fail = [&](Error e) -> Status {
    (void)rollback_.run();
    return e;
  };
  auto cur = db_.prepare(
      "SELECT f.status, f.rowid FROM finding_keys AS k CROSS JOIN findings AS f ON f.rowid = k.rid "
      "WHERE k.tenant = ?1 AND k.id = ?2 AND f.tenant = ?1");
  if (!cur) return fail(cur.error());
  cur->bind(1, tenant).bind(2, id);
  auto row = cur->step();
  if (!row) return fail(row.error());
  // Same message whether the id is unknown or belongs to another tenant:
  // the answer must not reveal other tenants' findings.
  if (!*row) return fail(Error{"", "no finding " + id + " for tenant '" + tenant + "'"});
  const std::string from = cur->text(0);
  const std::int64_t rowid = cur->int64(1);
  cur->reset();
  auto upd = db_.prepare("UPDATE findings SET status = ?2 WHERE rowid = ?1");
  if (!upd) return fail(upd.error());
  upd->bind(1, rowid).bind(2, core::to_string(to));
  if (auto r = upd->run(); !r) return fail(r.error());
  auto hist = db_.prepare(
      "INSERT INTO finding_history (tenant, id, at, by, from_status, to_status, note) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!hist) return fail(hist.error());
  hist->bind(1, tenant)
      .bind(2, id)
      .bind(3, now_micros())
      .bind(4, by)
      .bind(5, from)
      .bind(6, core::to_string(to))
      .bind(7, note);
  if (auto r = hist->run(); !r) return fail(r.error());
  return commit_.run();
}

Result<std::vector<HistoryEntry>> FindingStore::history(const std::string& tenant,
                                                        const std::string& id) {
  auto exists = get(tenant, id);
  if (!exists) return exists.error();
  if (!*exists) return Error{"", "no finding " + id + " for tenant '" + tenant + "'"};
  auto st = db_.prepare(
      "SELECT at, by, from_status, to_status, note FROM finding_history "
      "WHERE tenant = ?1 AND id = ?2 ORDER BY seq");
  if (!st) return st.error();
  st->bind(1, tenant).bind(2, id);
  std::vector<HistoryEntry> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back({st->int64(0), st->text(1), st->text(2), st->text(3), st->text(4)});
  }
  return out;
}

}  // namespace vigil::store

#include "core/store/finding_store.h"

#include <arpa/inet.h>

#include <cctype>
#include <climits>

#include "core/util/json_text.h"

namespace vigil::store {

using core::Finding;
using nlohmann::json;

namespace {

constexpr const char* kColumns =
    "tenant, id, schema_version, source, type, severity, confidence, title, description, "
    "asset_ip, asset_mac, asset_hostname, asset_host_id, evidence, fingerprint_fields, refs, "
    "first_seen, last_seen, count, status";

// Re-seeing a finding grows count and widens the seen window; what the
// analyst decided (status) stays, except that a resolved finding reopens.
constexpr const char* kUpsert = R"sql(
INSERT INTO findings (tenant, id, schema_version, source, type, severity, confidence, title,
  description, asset_ip, asset_mac, asset_hostname, asset_host_id, evidence, fingerprint_fields,
  refs, first_seen, last_seen, count, status)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
ON CONFLICT (tenant, id) DO UPDATE SET
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

// The row in place (columns in kColumns order): views into SQLite's buffers,
// valid until the next step.
core::FindingView row_view(const Stmt& s) {
  core::FindingView v;
  v.tenant = s.text_view(0);
  v.id = s.text_view(1);
  v.schema_version = static_cast<int>(s.int64(2));
  v.source = core::parse_source(s.text_view(3)).value_or(core::Source::scanner);
  v.type = s.text_view(4);
  v.severity = static_cast<core::Severity>(s.int64(5));
  v.confidence = s.real(6);
  v.title = s.text_view(7);
  v.description = s.text_view(8);
  v.ip = s.text_view(9);
  v.mac = s.text_view(10);
  v.hostname = s.text_view(11);
  v.host_id = s.text_view(12);
  v.evidence_json = s.text_view(13);
  v.fingerprint_fields_json = s.text_view(14);
  v.references_json = s.text_view(15);
  v.first_seen = s.int64(16);
  v.last_seen = s.int64(17);
  v.count = static_cast<std::uint64_t>(s.int64(18));
  v.status = core::parse_status(s.text_view(19)).value_or(core::Status::open_new);
  return v;
}

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

// Smallest string greater than every string starting with `prefix`, for an
// index range scan instead of LIKE (whose wildcards would need escaping).
std::optional<std::string> prefix_upper_bound(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char c = static_cast<unsigned char>(prefix.back());
    if (c < 0xff) {
      prefix.back() = static_cast<char>(c + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return std::nullopt;
}

enum class AssetKind { ip, mac, name };

AssetKind asset_kind(const std::string& v) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, v.c_str(), buf) == 1 || inet_pton(AF_INET6, v.c_str(), buf) == 1)
    return AssetKind::ip;
  if (v.size() == 17) {
    bool mac = true;
    for (std::size_t i = 0; i < 17; ++i)
      mac = mac && (i % 3 == 2 ? (v[i] == ':' || v[i] == '-')
                               : std::isxdigit(static_cast<unsigned char>(v[i])));
    if (mac) return AssetKind::mac;
  }
  return AssetKind::name;
}

}  // namespace

Result<std::unique_ptr<FindingStore>> FindingStore::open(const std::string& path) {
  auto db = Db::open(path, true);
  if (!db) return db.error();
  std::unique_ptr<FindingStore> s(new FindingStore(std::move(*db)));
  // WAL: readers (list, reports) never block the scheduled import.
  if (auto r = s->db_.exec(
          "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
          "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;"
          // Reads map the file instead of a pread() per page: a list that
          // touches thousands of scattered rows spends less time in syscalls.
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
  if (auto r = p(upsert_, kUpsert); !r) return r;
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

Result<Import> FindingStore::begin_import(std::uint64_t expected) {
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
  // A big import gets a big page cache: the (tenant, id) index takes random
  // inserts (ids are hashes) and must stay in memory to stay fast.
  if (auto r = db_.exec("PRAGMA cache_size = -262144"); !r) return r.error();
  auto rows = db_.prepare("SELECT coalesce(max(rowid), 0) FROM findings");
  if (!rows) return rows.error();
  if (auto r = rows->step(); !r) return r.error();
  const auto have = static_cast<std::uint64_t>(rows->int64(0));
  rows->reset();  // a statement left running would block the DROP INDEX below
  if (have > expected) return imp;
  // The definitions come from the schema itself, so whatever index a later
  // migration adds is dropped and rebuilt the same way.
  auto idx = db_.prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'findings' "
      "AND sql IS NOT NULL ORDER BY name");
  if (!idx) return idx.error();
  std::vector<std::string> names;
  for (;;) {
    auto row = idx->step();
    if (!row) return row.error();
    if (!*row) break;
    names.push_back(idx->text(0));
    imp.deferred_indexes_.push_back(idx->text(1));
  }
  idx->reset();
  for (const auto& name : names) {
    const std::string drop = "DROP INDEX \"" + name + "\"";
    if (auto r = db_.exec(drop.c_str()); !r) return r.error();
  }
  return imp;
}

Import::Import(Import&& o) noexcept
    : store_(o.store_),
      open_(o.open_),
      rollback_journal_(o.rollback_journal_),
      added_(o.added_),
      deferred_indexes_(std::move(o.deferred_indexes_)) {
  o.open_ = false;
  o.rollback_journal_ = false;
}

Import::~Import() {
  if (open_) (void)store_->rollback_.run();
  if (rollback_journal_) store_->restore_wal();
}

Status Import::add(const Finding& f) {
  return add(f, f.evidence.dump());
}

Status Import::add(const Finding& f, std::string_view evidence_json) {
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
  Stmt& s = store_->upsert_;
  s.bind(1, f.tenant)
      .bind(2, f.id)
      .bind(3, std::int64_t{f.schema_version})
      .bind(4, core::to_string(f.source))
      .bind(5, f.type)
      .bind(6, std::int64_t{static_cast<int>(f.severity)})
      .bind(7, f.confidence)
      .bind(8, f.title)
      .bind(9, f.description)
      .bind(10, f.asset.ip)
      .bind(11, f.asset.mac)
      .bind(12, f.asset.hostname)
      .bind(13, f.asset.host_id)
      .bind(14, evidence_json)
      .bind(15, fields)
      .bind(16, refs)
      .bind(17, f.first_seen)
      .bind(18, f.last_seen)
      .bind(19, static_cast<std::int64_t>(f.count))
      .bind(20, core::to_string(f.status));
  if (auto r = s.run(); !r) return r;
  ++added_;
  return ok_status();
}

Status Import::commit() {
  Status s = commit_and_analyze();
  if (rollback_journal_) store_->restore_wal();
  rollback_journal_ = false;
  return s;
}

Status Import::commit_and_analyze() {
  open_ = false;
  auto fail = [&](Error e) -> Status {
    (void)store_->rollback_.run();
    return e;
  };
  // Rebuilt inside the transaction: the store is never seen without them.
  for (const auto& sql : deferred_indexes_)
    if (auto r = store_->db_.exec(sql.c_str()); !r) return fail(r.error());
  if (auto r = store_->commit_.run(); !r) return fail(r.error());
  (void)store_->db_.exec("PRAGMA cache_size = -65536");
  // Without statistics SQLite's planner walks the last_seen index for a
  // filtered list (seconds on a million rows). A full ANALYZE (~0.7 s per
  // million rows): a sampled one (analysis_limit) misjudged the tenant
  // column and picked plans that sort 600,000 rows for a --limit 100 list.
  if (added_ >= 10000) return store_->db_.exec("ANALYZE");
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
  // Fixed SQL text per filter combination; every value goes through a bound parameter.
  std::string sql = std::string("SELECT ") + kColumns + " FROM findings WHERE tenant = ?1";
  // "high+" matches a large share of rows and the severity index cannot give
  // them newest first, so with a limit the planner would sort them all (a
  // 600,000-row sort for 100 rows); the unary + makes it walk last_seen
  // newest first and stop at the limit instead.
  if (f.severity)
    sql += !f.severity_or_above ? " AND severity = ?2"
           : f.limit            ? " AND +severity >= ?2"
                                : " AND severity >= ?2";
  if (!f.type_prefix.empty()) sql += " AND type >= ?3 AND (?4 IS NULL OR type < ?4)";
  // The shape of the value picks the column, so each query can use its index.
  if (!f.asset.empty()) switch (asset_kind(f.asset)) {
      case AssetKind::ip:
        sql += " AND asset_ip = ?5";
        break;
      case AssetKind::mac:
        sql += " AND asset_mac = ?5 COLLATE NOCASE";
        break;
      case AssetKind::name:
        // Not "hostname = ? OR host_id = ?": most rows share an empty
        // host_id, so the planner judged that OR a full scan (1.3 s on a
        // million rows). Two index look-ups feed the rowids instead.
        sql +=
            " AND rowid IN (SELECT rowid FROM findings WHERE tenant = ?1 AND asset_hostname = ?5 "
            "COLLATE NOCASE UNION ALL SELECT rowid FROM findings WHERE tenant = ?1 AND "
            "asset_host_id = ?5)";
        break;
    }
  if (f.status) sql += " AND status = ?6";
  if (f.since) sql += " AND last_seen >= ?7";
  // Ties on last_seen go newest stored first: every index ends in the rowid,
  // so an index walk already yields this order. Ties by id needed a sorter
  // holding whole rows (~15% of a 14,000-row list).
  sql += " ORDER BY last_seen DESC, rowid DESC LIMIT ?8";
  auto st = db_.prepare(sql);
  if (!st) return st.error();
  Stmt& s = *st;
  s.bind(1, f.tenant);
  if (f.severity) s.bind(2, std::int64_t{static_cast<int>(*f.severity)});
  if (!f.type_prefix.empty()) {
    s.bind(3, f.type_prefix);
    if (auto ub = prefix_upper_bound(f.type_prefix))
      s.bind(4, *ub);
    else
      s.bind_null(4);
  }
  if (!f.asset.empty()) s.bind(5, f.asset);
  if (f.status) s.bind(6, core::to_string(*f.status));
  if (f.since) s.bind(7, *f.since);
  s.bind(8, f.limit ? static_cast<std::int64_t>(f.limit) : std::int64_t{-1});
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
                        " FROM findings WHERE tenant = ?1 AND id = ?2");
  if (!st) return st.error();
  st->bind(1, tenant).bind(2, id);
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return std::optional<Finding>{};
  return std::optional<Finding>{row_to_finding(*st)};
}

Result<std::int64_t> FindingStore::count(const std::string& tenant) {
  auto st = db_.prepare("SELECT count(*) FROM findings WHERE tenant = ?1");
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
  auto cur = db_.prepare("SELECT status FROM findings WHERE tenant = ?1 AND id = ?2");
  if (!cur) return fail(cur.error());
  cur->bind(1, tenant).bind(2, id);
  auto row = cur->step();
  if (!row) return fail(row.error());
  // Same message whether the id is unknown or belongs to another tenant:
  // the answer must not reveal other tenants' findings.
  if (!*row) return fail(Error{"", "no finding " + id + " for tenant '" + tenant + "'"});
  const std::string from = cur->text(0);
  cur->reset();
  auto upd = db_.prepare("UPDATE findings SET status = ?3 WHERE tenant = ?1 AND id = ?2");
  if (!upd) return fail(upd.error());
  upd->bind(1, tenant).bind(2, id).bind(3, core::to_string(to));
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

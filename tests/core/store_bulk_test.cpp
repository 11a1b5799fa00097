// Bulk imports: the secondary indexes are dropped and rebuilt inside the
// import's transaction, so the guarantees of a normal import must hold
// unchanged (upsert, reopen audit, all or nothing, FILE:LINE errors).
#include <catch2/catch.hpp>

#include "core/store/import_files.h"
#include "core/store/lookup_tables.h"
#include "core/util/jsonl.h"
#include "tests/support/tmpdir.h"

using namespace vigil;
using nlohmann::json;

namespace {

core::Finding seen(const std::string& ip, const char* when) {
  json j = {{"asset", {{"ip", ip}}}, {"source", "sensor"},     {"type", "net.tls.weak_cipher"},
            {"severity", "high"},    {"title", "weak cipher"}, {"last_seen", when}};
  auto f = core::finding_from_import(j, "acme", 0);
  REQUIRE(f.ok());
  return *f;
}

// The indexes and triggers of the findings table (a bulk import drops and
// rebuilds them).
std::string indexes(const test::TempDir& d) {
  return test::run("sqlite3 " + d.str("f.db") +
                   " \"SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') "
                   "AND tbl_name = 'findings' ORDER BY name\"")
      .out;
}

// Rows of the look-up tables that differ from what the rows themselves say
// (the triggers' definitions: finding_asset_keys for the assets).
std::string lookup_mismatches(const std::string& db) {
  const char* pairs[][2] = {
      {"SELECT tenant, id, rowid FROM findings", "SELECT tenant, id, rid FROM finding_keys"},
      {"SELECT tenant, last_seen, rowid, severity, type FROM findings",
       "SELECT tenant, last_seen, rid, severity, type FROM finding_times"},
      {"SELECT tenant, asset, rid FROM finding_asset_keys",
       "SELECT tenant, asset, rid FROM finding_assets"}};
  std::string sql;
  for (const auto& p : pairs)
    sql += std::string("SELECT 'missing', * FROM (") + p[0] + " EXCEPT " + p[1] +
           ") UNION ALL SELECT 'extra', * FROM (" + p[1] + " EXCEPT " + p[0] + ");";
  return test::run("sqlite3 " + db + " \"" + sql + "\"").out;
}

std::string journal_mode(const test::TempDir& d) {
  return test::run("sqlite3 " + d.str("f.db") + " 'PRAGMA journal_mode'").out;
}

}  // namespace

TEST_CASE("a bulk import keeps upsert, reopen history and every index") {
  test::TempDir d("store-bulk");
  auto s = store::FindingStore::open(d.str("f.db"));
  REQUIRE(s.ok());
  const std::string before = indexes(d);
  REQUIRE(before.find("findings_by_status") != std::string::npos);
  auto a1 = seen("10.0.0.1", "2026-11-01T00:00:00Z");
  auto a2 = seen("10.0.0.1", "2026-11-03T00:00:00Z");
  {
    auto imp = (*s)->begin_import(store::FindingStore::kBulkMinimum);
    REQUIRE(imp.ok());
    CHECK(imp->bulk());
    REQUIRE(imp->add(a1).ok());
    REQUIRE(imp->add(a2).ok());
    REQUIRE(imp->add(seen("10.0.0.2", "2026-11-02T00:00:00Z")).ok());
    REQUIRE(imp->commit().ok());
  }
  CHECK(indexes(d) == before);
  CHECK(*(*s)->count("acme") == 2);
  auto got = (*s)->get("acme", a1.id);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((*got)->count == 2);
  CHECK((*got)->last_seen == a2.last_seen);

  // Resolved, then seen again by a later bulk import: reopened and audited.
  REQUIRE((*s)->set_status("acme", a1.id, core::Status::resolved, "patched", "ana").ok());
  {
    auto imp = (*s)->begin_import(store::FindingStore::kBulkMinimum);
    REQUIRE(imp.ok());
    CHECK(imp->bulk());
    REQUIRE(imp->add(seen("10.0.0.1", "2026-11-09T00:00:00Z")).ok());
    REQUIRE(imp->commit().ok());
  }
  auto h = (*s)->history("acme", a1.id);
  REQUIRE(h.ok());
  REQUIRE(h->size() == 2);
  CHECK((*h)[1].to == "new");
  store::ListFilter f;
  f.tenant = "acme";
  f.status = core::Status::open_new;
  CHECK((*s)->list(f)->size() == 2);

  // Rolled back: data and indexes exactly as before.
  {
    auto imp = (*s)->begin_import(store::FindingStore::kBulkMinimum);
    REQUIRE(imp.ok());
    REQUIRE(imp->add(seen("10.0.0.3", "2026-11-09T00:00:00Z")).ok());
  }
  CHECK(*(*s)->count("acme") == 2);
  CHECK(indexes(d) == before);
}

TEST_CASE("import_files: all files or nothing, errors name FILE:LINE in file order") {
  test::TempDir d("store-files");
  auto s = store::FindingStore::open(d.str("f.db"));
  REQUIRE(s.ok());
  const std::string line =
      R"({"asset":{"ip":"10.0.0.1"},"source":"sensor","type":"net.x","severity":"low","title":"x"})";
  std::string many;
  for (int i = 0; i < 1500; ++i)  // more than one batch of the pipeline
    many += R"({"asset":{"ip":"10.1.)" + std::to_string(i / 250) + "." + std::to_string(i % 250) +
            R"("},"source":"sensor","type":"net.x","severity":"low","title":"x"})" + "\r\n";
  test::write_file(d.str("a.jsonl"), many + "\n   \n" + line);  // CRLF, blank, no final newline
  test::write_file(d.str("b.jsonl"), line + "\n" + line + "\n{\"asset\":\n");
  auto bad = store::import_files(**s, {d.str("a.jsonl"), d.str("b.jsonl")}, "acme", 1);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().where == d.str("b.jsonl") + ":3");
  CHECK(bad.error().what == "not valid JSON");
  CHECK(*(*s)->count("acme") == 0);

  auto good = store::import_files(**s, {d.str("a.jsonl"), d.str("a.jsonl")}, "acme", 1);
  REQUIRE(good.ok());
  CHECK(good->added == 3002);
  CHECK(*(*s)->count("acme") == 1501);
  auto missing = store::import_files(**s, {d.str("nope.jsonl")}, "acme", 1);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().what.rfind("cannot open", 0) == 0);
}

TEST_CASE("JSON Lines reader: an over-long line is an error naming its line") {
  test::TempDir d("jsonl-long");
  test::write_file(d.str("x.jsonl"), "{}\n{\"a\":\"" + std::string(300, 'x') + "\"}\n{}\n");
  auto r = JsonLinesReader::open(d.str("x.jsonl"), 100);
  REQUIRE(r.ok());
  json j;
  Error err;
  REQUIRE(r->next(j, err));
  CHECK(err.what.empty());
  REQUIRE(r->next(j, err));
  CHECK(err.where == d.str("x.jsonl") + ":2");
  CHECK(err.what == "line longer than 100 bytes");
  // Reading on skips the rest of the long line and resumes at the next one.
  REQUIRE(r->next(j, err));
  CHECK(err.what.empty());
  CHECK(r->line() == 3);
  CHECK_FALSE(r->next(j, err));
}

TEST_CASE("a bulk import into an empty store skips the WAL, all or nothing, and WAL is back") {
  test::TempDir d("store-bulk-empty");
  auto s = store::FindingStore::open(d.str("f.db"));
  REQUIRE(s.ok());
  const std::string before = indexes(d);
  auto a1 = seen("10.0.0.1", "2026-11-01T00:00:00Z");
  {  // Rolled back: the store is as empty as before, with its indexes.
    auto imp = (*s)->begin_import(store::FindingStore::kBulkMinimum);
    REQUIRE(imp.ok());
    CHECK(imp->rollback_journal());
    CHECK(imp->bulk());
    REQUIRE(imp->add(a1).ok());
  }
  CHECK(*(*s)->count("acme") == 0);
  CHECK(indexes(d) == before);
  CHECK(journal_mode(d) == "wal\n");
  {
    auto imp = (*s)->begin_import(store::FindingStore::kBulkMinimum);
    REQUIRE(imp.ok());
    CHECK(imp->rollback_journal());
    REQUIRE(imp->add(a1).ok());
    REQUIRE(imp->add(seen("10.0.0.1", "2026-11-03T00:00:00Z")).ok());
    REQUIRE(imp->add(seen("10.0.0.2", "2026-11-02T00:00:00Z")).ok());
    REQUIRE(imp->commit().ok());
  }
  CHECK(journal_mode(d) == "wal\n");
  CHECK(indexes(d) == before);
  CHECK(*(*s)->count("acme") == 2);
  auto got = (*s)->get("acme", a1.id);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((*got)->count == 2);
  CHECK(test::run("sqlite3 " + d.str("f.db") + " 'PRAGMA integrity_check'").out == "ok\n");
  // Not empty any more: the next bulk import goes through the WAL.
  auto imp = (*s)->begin_import(store::FindingStore::kBulkMinimum);
  REQUIRE(imp.ok());
  CHECK(imp->bulk());
  CHECK_FALSE(imp->rollback_journal());
}

TEST_CASE("a reader attached to an empty store keeps a bulk import in WAL mode") {
  test::TempDir d("store-bulk-reader");
  auto s = store::FindingStore::open(d.str("f.db"));
  REQUIRE(s.ok());
  auto reader = store::FindingStore::open(d.str("f.db"));
  REQUIRE(reader.ok());
  CHECK(*(*reader)->count("acme") == 0);
  {
    auto imp = (*s)->begin_import(store::FindingStore::kBulkMinimum);
    REQUIRE(imp.ok());
    CHECK(imp->bulk());
    CHECK_FALSE(imp->rollback_journal());
    REQUIRE(imp->add(seen("10.0.0.1", "2026-11-01T00:00:00Z")).ok());
    // The reader keeps its snapshot while the import runs.
    CHECK(*(*reader)->count("acme") == 0);
    REQUIRE(imp->commit().ok());
  }
  CHECK(*(*reader)->count("acme") == 1);
  CHECK(journal_mode(d) == "wal\n");
}

namespace {

core::Finding variant(const std::string& tenant, json asset, const char* sev, const char* when) {
  json j = {{"asset", std::move(asset)}, {"source", "scanner"}, {"type", "host.posture.x"},
            {"severity", sev},           {"title", "posture"},  {"last_seen", when}};
  auto f = core::finding_from_import(j, tenant, 0);
  REQUIRE(f.ok());
  return *f;
}

}  // namespace

TEST_CASE("the look-up tables say what the rows say: bulk refill, triggers, chunks") {
  test::TempDir d("store-lookups");
  const std::string db = d.str("f.db");
  auto s = store::FindingStore::open(db);
  REQUIRE(s.ok());
  // Every kind of asset identifier, case to fold, two tenants, repeats.
  const json a1 = {{"host_id", "H-1"}, {"hostname", "Web.EXAMPLE"}};
  const json a2 = {{"ip", "10.0.0.2"}, {"mac", "AA:bb:CC:00:11:22"}};
  const json a3 = {{"ip", "10.0.0.3"}, {"hostname", "db"}, {"mac", "00:11:22:33:44:55"}};
  {
    auto imp = (*s)->begin_import(store::FindingStore::kBulkMinimum);
    REQUIRE(imp.ok());
    REQUIRE(imp->bulk());
    for (const char* t : {"acme", "beta"}) {
      REQUIRE(imp->add(variant(t, a1, "low", "2026-11-01T00:00:00Z")).ok());
      REQUIRE(imp->add(variant(t, a2, "high", "2026-11-02T00:00:00Z")).ok());
      REQUIRE(imp->add(variant(t, a3, "info", "2026-11-03T00:00:00Z")).ok());
      REQUIRE(imp->add(variant(t, a2, "critical", "2026-11-04T00:00:00Z")).ok());  // a repeat
    }
    REQUIRE(imp->commit().ok());
  }
  CHECK(lookup_mismatches(db).empty());
  CHECK(*(*s)->count("acme") == 3);
  store::ListFilter f;
  f.tenant = "beta";
  f.asset = "aa:BB:cc:00:11:22";
  auto rows = (*s)->list(f);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0].severity == core::Severity::critical);
  CHECK((*rows)[0].count == 2);

  // Through the triggers: a new finding, and repeats that change severity,
  // last_seen and a hostname (a non-empty identifier replaces the stored one).
  {
    auto imp = (*s)->begin_import();
    REQUIRE(imp.ok());
    REQUIRE_FALSE(imp->bulk());
    REQUIRE(imp->add(variant("acme", {{"ip", "10.0.0.9"}}, "low", "2026-11-05T00:00:00Z")).ok());
    REQUIRE(imp->add(variant("acme", a1, "medium", "2026-11-06T00:00:00Z")).ok());
    json renamed = a3;
    renamed["hostname"] = "DB2";
    REQUIRE(imp->add(variant("beta", renamed, "info", "2026-10-01T00:00:00Z")).ok());
    REQUIRE(imp->commit().ok());
  }
  CHECK(lookup_mismatches(db).empty());
  f.asset = "db2";
  rows = (*s)->list(f);
  REQUIRE(rows.ok());
  CHECK(rows->size() == 1);

  // The refill on its own, two rows per chunk: the same tables again.
  auto raw = store::Db::open(db, false);
  REQUIRE(raw.ok());
  REQUIRE(raw->exec("BEGIN; DELETE FROM finding_keys; DELETE FROM finding_times; "
                    "DELETE FROM finding_assets;")
              .ok());
  REQUIRE(store::refill_lookup_tables(*raw, 2).ok());
  REQUIRE(raw->exec("COMMIT").ok());
  CHECK(lookup_mismatches(db).empty());
  CHECK(test::run("sqlite3 " + db + " 'SELECT count(*) FROM finding_assets'").out == "15\n");
}

TEST_CASE("a bulk import tells repeats from hash collisions by the stored key") {
  store::RowIndex idx;
  // Every key hashes alike here; `same` is what tells them apart.
  for (std::int64_t r = 1; r <= 3000; ++r) idx.add(42, r);
  CHECK(idx.size() == 3000);
  CHECK(idx.find(42, [](std::int64_t r) { return r == 2999; }) == 2999);
  CHECK(idx.find(42, [](std::int64_t) { return false; }) == 0);
  CHECK(idx.find(7, [](std::int64_t) { return true; }) == 0);
  store::RowIndex moved = std::move(idx);
  CHECK(moved.find(42, [](std::int64_t r) { return r == 1; }) == 1);
}

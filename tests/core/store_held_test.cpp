// A bulk import holds its new rows back and writes them a window at a time in
// (tenant, last_seen) order (core/store/held_rows.h): the rows must come out
// exactly as a normal import writes them, repeats merged in file order, and
// laid out in time order.
#include <catch2/catch.hpp>

#include "core/store/finding_store.h"
#include "tests/support/tmpdir.h"

using namespace vigil;
using nlohmann::json;

namespace {

// 400 findings of 120 problems: most problems are seen several times, and
// their repeats come in no particular time order, with changing severity,
// title, hostname and evidence, so the order the merges run in shows in the
// rows. Two tenants; some findings arrive resolved and are seen again.
std::vector<core::Finding> findings() {
  std::vector<core::Finding> out;
  std::uint32_t x = 12345;
  auto next = [&x] { return x = x * 1103515245 + 12345, (x >> 8) % 1000003; };
  const char* sev[] = {"info", "low", "medium", "high", "critical"};
  for (int i = 0; i < 400; ++i) {
    const auto problem = next() % 120;
    const int day = 1 + static_cast<int>(next() % 28), hour = static_cast<int>(next() % 24);
    char when[32];
    std::snprintf(when, sizeof when, "2026-11-%02dT%02d:00:00Z", day, hour);
    json asset = {{"ip", "10.0.0." + std::to_string(problem)}};
    if (next() % 3 == 0) asset["hostname"] = "h" + std::to_string(next() % 5);
    json j = {{"asset", asset},
              {"source", "sensor"},
              {"type", "net.x." + std::to_string(problem % 7)},
              {"severity", sev[next() % 5]},
              {"title", "seen " + std::to_string(i)},
              {"evidence", {{"line", i}}},
              {"fingerprint_fields", json::array()},
              {"last_seen", when}};
    if (next() % 10 == 0) j["status"] = "resolved";
    auto f = core::finding_from_import(j, problem % 4 == 0 ? "beta" : "acme", 1);
    REQUIRE(f.ok());
    out.push_back(*f);
  }
  return out;
}

std::string sql(const std::string& db, const std::string& query) {
  auto r = test::run("sqlite3 " + db + " \"" + query + "\"");
  REQUIRE(r.exit_code == 0);
  return r.out;
}

constexpr const char* kRows =
    "SELECT tenant, id, schema_version, source, type, severity, confidence, title, description, "
    "asset_ip, asset_mac, asset_hostname, asset_host_id, evidence, fingerprint_fields, refs, "
    "first_seen, last_seen, count, status FROM findings ORDER BY tenant, id";
constexpr const char* kHistory =
    "SELECT tenant, id, from_status, to_status, note FROM finding_history ORDER BY tenant, id, seq";

}  // namespace

TEST_CASE("a bulk import writes the rows a normal import writes, in time order") {
  test::TempDir d("store-held");
  const auto all = findings();
  auto import = [&](const std::string& db, bool bulk, std::size_t window) {
    auto s = store::FindingStore::open(db);
    REQUIRE(s.ok());
    auto imp =
        bulk ? (*s)->begin_import(store::FindingStore::kBulkMinimum, window) : (*s)->begin_import();
    REQUIRE(imp.ok());
    REQUIRE(imp->bulk() == bulk);
    for (const auto& f : all) REQUIRE(imp->add(f).ok());
    REQUIRE(imp->commit().ok());
    CHECK(imp->added() == all.size());
  };
  const std::string normal = d.str("normal.db");
  import(normal, false, 0);
  const std::string rows = sql(normal, kRows);
  const std::string history = sql(normal, kHistory);
  const auto problems = std::count(rows.begin(), rows.end(), '\n');
  REQUIRE(problems > 100);  // of 120 drawn at random, 400 times: most repeat
  REQUIRE(problems <= 120);
  REQUIRE(history.find("|resolved|new|") != std::string::npos);  // some were reopened

  // One window, a window of a few rows, a window smaller than any row.
  for (std::size_t window : {store::HeldRows::kWindowBytes, std::size_t{1500}, std::size_t{1}}) {
    INFO("window " << window);
    const std::string db = d.str("bulk-" + std::to_string(window) + ".db");
    import(db, true, window);
    CHECK(sql(db, kRows) == rows);
    CHECK(sql(db, kHistory) == history);
    CHECK(sql(db, "PRAGMA integrity_check") == "ok\n");
    // Every look-up table entry names its row (the refill ran on the rows
    // as written; an entry for a held row would name a row id <= 0).
    CHECK(sql(db,
              "SELECT count(*) FROM finding_times AS t JOIN findings AS f ON f.rowid = t.rid "
              "AND f.last_seen = t.last_seen") == std::to_string(problems) + "\n");
  }
  // In one window the rows are laid out by tenant (one run each), then by
  // last_seen; a normal import's follow the file.
  const std::string db = d.str("bulk-" + std::to_string(store::HeldRows::kWindowBytes) + ".db");
  const char* kTenantRuns =
      "SELECT count(*) FROM findings AS a JOIN findings AS b ON b.rowid = a.rowid + 1 "
      "WHERE a.tenant <> b.tenant";
  CHECK(sql(db, kTenantRuns) == "1\n");
  CHECK(sql(normal, kTenantRuns) != "1\n");
  for (const char* t : {"acme", "beta"}) {
    const std::string where = std::string(" FROM findings WHERE tenant = '") + t + "' ORDER BY ";
    CHECK(sql(db, "SELECT last_seen" + where + "rowid") ==
          sql(db, "SELECT last_seen" + where + "last_seen, rowid"));
    CHECK(sql(normal, "SELECT last_seen" + where + "rowid") !=
          sql(normal, "SELECT last_seen" + where + "last_seen, rowid"));
  }
}

TEST_CASE("held rows: write order, merges after their row, the failing tag") {
  auto row = [](const char* tenant, const char* id, std::int64_t last_seen) {
    store::RowValues v;
    v.text[store::RowValues::tenant] = tenant;
    v.text[store::RowValues::id] = id;
    v.num.last_seen = last_seen;
    return v;
  };
  store::HeldRows held;
  CHECK(held.hold(row("b", "1", 50), 11, 101) == 1);
  CHECK(held.hold(row("a", "2", 90), 12, 102) == 2);
  CHECK(held.hold(row("a", "3", 70), 13, 103) == 3);
  CHECK(held.hold(row("a", "3", 95), 13, 104, 3) == 4);  // a repeat, newer: row 3 sorts last
  CHECK(held.hold(row("a", "4", 70), 14, 105) == 5);     // ties keep the order held
  CHECK(held.hold(row("a", "2", 10), 12, 106, 2) == 6);  // a repeat, older: row 2 stays put
  CHECK(held.is(3, "a", "3"));
  CHECK_FALSE(held.is(3, "b", "3"));
  CHECK_FALSE(held.empty());

  std::vector<std::string> log;
  std::uint64_t failed = 0;
  auto insert = [&](const store::RowValues& v, std::uint64_t hash,
                    std::uint32_t n) -> Result<std::int64_t> {
    log.push_back("insert " + std::string(v.text[store::RowValues::id]) + " #" + std::to_string(n) +
                  " h" + std::to_string(hash));
    return static_cast<std::int64_t>(100 + log.size());
  };
  auto merge = [&](const store::RowValues& v, std::int64_t rowid) -> Status {
    log.push_back("merge " + std::to_string(v.num.last_seen) + " into " + std::to_string(rowid));
    return ok_status();
  };
  REQUIRE(held.write(insert, merge, failed).ok());
  // Tenant "b"'s row goes before or after all of "a"'s (tenants are grouped
  // by a hash of their name); rowids here count the inserts from 101.
  const bool b_first = log.at(0) == "insert 1 #1 h11";
  const std::int64_t a = b_first ? 102 : 101;
  std::vector<std::string> a_rows = {"insert 4 #5 h14", "insert 2 #2 h12", "insert 3 #3 h13"};
  std::vector<std::string> want = a_rows;
  want.insert(b_first ? want.begin() : want.end(), "insert 1 #1 h11");
  want.push_back("merge 95 into " + std::to_string(a + 2));
  want.push_back("merge 10 into " + std::to_string(a + 1));
  CHECK(log == want);
  CHECK(held.empty());

  // A failure names the tag of the values that failed; nothing after them runs.
  held.hold(row("a", "5", 1), 15, 201);
  held.hold(row("a", "6", 2), 16, 202);
  held.hold(row("a", "7", 3), 17, 203);
  log.clear();
  auto failing = [&](const store::RowValues& v, std::uint64_t h,
                     std::uint32_t n) -> Result<std::int64_t> {
    if (v.text[store::RowValues::id] == "6") return Error{"", "disk full"};
    return insert(v, h, n);
  };
  auto r = held.write(failing, merge, failed);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().what == "disk full");
  CHECK(failed == 202);
  CHECK(log == std::vector<std::string>{"insert 5 #1 h15"});
}

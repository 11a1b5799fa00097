// The findings store on real SQLite files: upsert, atomic imports, tenant
// isolation, injection attempts through every filter, audit history.
#include <catch2/catch.hpp>

#include "core/store/finding_store.h"
#include "tests/support/tmpdir.h"

using namespace vigil;
using namespace vigil::core;
using nlohmann::json;

namespace {

Finding make(const std::string& tenant, const std::string& ip, const std::string& type,
             const char* sev, const char* seen) {
  json j = {{"asset", {{"ip", ip}}}, {"source", "sensor"},   {"type", type},
            {"severity", sev},       {"title", "t " + type}, {"last_seen", seen}};
  auto f = finding_from_import(j, tenant, 0);
  REQUIRE(f.ok());
  return *f;
}

std::unique_ptr<store::FindingStore> open_store(const test::TempDir& d) {
  auto s = store::FindingStore::open(d.str("findings.db"));
  REQUIRE(s.ok());
  return std::move(*s);
}

void import_all(store::FindingStore& s, const std::vector<Finding>& fs) {
  auto imp = s.begin_import();
  REQUIRE(imp.ok());
  for (const auto& f : fs) REQUIRE(imp->add(f).ok());
  REQUIRE(imp->commit().ok());
}

}  // namespace

TEST_CASE("schema is versioned, WAL is on (read back with the sqlite3 CLI)") {
  test::TempDir d("store-schema");
  { auto s = open_store(d); }
  auto r =
      test::run("sqlite3 " + d.str("findings.db") + " 'PRAGMA user_version; PRAGMA journal_mode;'");
  CHECK(r.out == std::to_string(store::FindingStore::kSchemaVersion) + "\nwal\n");
  // Reopening an up-to-date store migrates nothing and keeps data.
  auto s = open_store(d);
  import_all(*s, {make("a", "10.0.0.1", "net.x", "low", "2026-01-01T00:00:00Z")});
  auto again = open_store(d);
  CHECK(*again->count("a") == 1);
  // A newer schema than we know is refused, not silently used.
  REQUIRE(test::run("sqlite3 " + d.str("findings.db") + " 'PRAGMA user_version=99;'").exit_code ==
          0);
  auto newer = store::FindingStore::open(d.str("findings.db"));
  REQUIRE_FALSE(newer.ok());
  CHECK(newer.error().what.find("newer") != std::string::npos);
}

TEST_CASE("a store left by the previous schema (3) upgrades in place and lists the same") {
  // tests/data/store/schema3.sql is `sqlite3 .dump` of a store written by
  // vigil at schema 3 (99d9acc): two tenants, an upsert, ip/mac/hostname/
  // host-id assets, an acknowledged and a resolved finding. The expected
  // orders below are what that vigil listed for each filter.
  test::TempDir d("store-migrate");
  const std::string db = d.str("findings.db");
  REQUIRE(test::run("sqlite3 " + db + " < " VIGIL_TEST_DATA "/store/schema3.sql").exit_code == 0);
  auto s = open_store(d);
  CHECK(test::run("sqlite3 " + db + " 'PRAGMA user_version'").out ==
        std::to_string(store::FindingStore::kSchemaVersion) + "\n");
  CHECK(test::run("sqlite3 " + db + " 'PRAGMA integrity_check'").out == "ok\n");
  CHECK(*s->count("acme") == 3);
  CHECK(*s->count("beta") == 1);
  auto ids = [&](store::ListFilter f) {
    f.tenant = "acme";
    auto rows = s->list(f);
    REQUIRE(rows.ok());
    std::string out;
    for (const auto& r : *rows) out += (out.empty() ? "" : " ") + r.id.substr(0, 8);
    return out;
  };
  const std::string web = "72f008fb", db1 = "d9feca58", ftp = "82ae03b6";
  CHECK(ids({}) == web + " " + db1 + " " + ftp);
  store::ListFilter f;
  f.severity = Severity::high;
  f.severity_or_above = true;
  CHECK(ids(f) == web + " " + ftp);
  CHECK(ids({.type_prefix = "net."}) == web + " " + ftp);
  CHECK(ids({.asset = "10.0.0.1"}) == web);
  CHECK(ids({.asset = "web1.example"}) == web);
  CHECK(ids({.asset = "aa:bb:cc:00:11:22"}) == ftp);
  CHECK(ids({.asset = "h-42"}) == db1);
  CHECK(ids({.asset = "DB1"}) == db1);
  CHECK(ids({.status = core::Status::acknowledged}) == db1);
  CHECK(ids({.status = core::Status::open_new}) == web);
  CHECK(ids({.status = core::Status::resolved}) == ftp);
  CHECK(ids({.since = parse_rfc3339("2026-11-03T00:00:00Z")}) == web + " " + db1);
  // The audit trail came along, and the reopen trigger still fires.
  auto h = s->history("acme", "d9feca5865f096b5d8dcff10597357ff10e72f2c2ffab65424921770428b9622");
  REQUIRE(h.ok());
  REQUIRE(h->size() == 1);
  CHECK((*h)[0].by == "ana");
  json again = {{"asset", {{"ip", "10.0.0.2"}, {"mac", "AA:BB:CC:00:11:22"}}},
                {"source", "sensor"},
                {"type", "net.auth.cleartext.ftp"},
                {"severity", "critical"},
                {"title", "ftp password"},
                {"last_seen", "2026-11-09T00:00:00Z"}};
  auto seen_again = finding_from_import(again, "acme", 0);
  REQUIRE(seen_again.ok());
  REQUIRE(seen_again->id.substr(0, 8) == ftp);
  import_all(*s, {*seen_again, make("acme", "10.0.0.9", "net.x", "low", "2026-11-08T00:00:00Z")});
  CHECK(ids({}) == ftp + " " + ids({.asset = "10.0.0.9"}) + " " + web + " " + db1);
  CHECK(ids({.status = core::Status::resolved}).empty());
  auto reopened = s->history("acme", seen_again->id);
  REQUIRE(reopened.ok());
  REQUIRE(reopened->size() == 2);
  CHECK((*reopened)[1].to == "new");
}

TEST_CASE("re-import upserts: count and last_seen grow, never duplicates") {
  test::TempDir d("store-upsert");
  auto s = open_store(d);
  auto f1 = make("acme", "10.0.0.1", "net.auth.cleartext.ftp", "high", "2026-11-01T00:00:00Z");
  auto f2 = make("acme", "10.0.0.1", "net.auth.cleartext.ftp", "high", "2026-11-05T00:00:00Z");
  REQUIRE(f1.id == f2.id);
  import_all(*s, {f1});
  import_all(*s, {f2, f1});
  CHECK(*s->count("acme") == 1);
  auto got = s->get("acme", f1.id);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((*got)->count == 3);
  CHECK((*got)->first_seen == *parse_rfc3339("2026-11-01T00:00:00Z"));
  CHECK((*got)->last_seen == *parse_rfc3339("2026-11-05T00:00:00Z"));
}

TEST_CASE("an import that is not committed leaves the store unchanged") {
  test::TempDir d("store-atomic");
  auto s = open_store(d);
  import_all(*s, {make("acme", "10.0.0.9", "net.a", "low", "2026-01-01T00:00:00Z")});
  {
    auto imp = s->begin_import();
    REQUIRE(imp.ok());
    REQUIRE(imp->add(make("acme", "10.0.0.1", "net.b", "low", "2026-01-01T00:00:00Z")).ok());
    REQUIRE(imp->add(make("acme", "10.0.0.2", "net.c", "low", "2026-01-01T00:00:00Z")).ok());
  }  // destroyed without commit: rollback
  CHECK(*s->count("acme") == 1);
}

TEST_CASE("tenant isolation: tenant A can neither read nor change tenant B's findings") {
  test::TempDir d("store-tenant");
  auto s = open_store(d);
  auto b = make("globex", "10.1.0.1", "net.tls.legacy_version", "medium", "2026-11-01T00:00:00Z");
  import_all(*s, {b, make("acme", "10.0.0.1", "net.x", "low", "2026-11-01T00:00:00Z")});

  store::ListFilter f;
  f.tenant = "acme";
  auto rows = s->list(f);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0].tenant == "acme");
  f.asset = "10.1.0.1";  // B's asset, asked as A
  CHECK(s->list(f)->empty());

  auto got = s->get("acme", b.id);
  REQUIRE(got.ok());
  CHECK_FALSE(got->has_value());
  auto set = s->set_status("acme", b.id, core::Status::resolved, "not mine", "mallory");
  REQUIRE_FALSE(set.ok());
  CHECK(set.error().what.find("for tenant 'acme'") != std::string::npos);
  CHECK_FALSE(s->history("acme", b.id).ok());
  // B's finding is untouched and has no audit entry from A.
  CHECK((*s->get("globex", b.id))->status == core::Status::open_new);
  CHECK(s->history("globex", b.id)->empty());

  store::ListFilter none;  // no tenant at all is refused, not "all tenants"
  CHECK_FALSE(s->list(none).ok());
}

TEST_CASE("SQL injection through every filter finds nothing and breaks nothing") {
  test::TempDir d("store-sqli");
  auto s = open_store(d);
  import_all(*s, {make("acme", "10.0.0.1", "net.a", "high", "2026-11-01T00:00:00Z"),
                  make("globex", "10.0.0.2", "net.b", "high", "2026-11-01T00:00:00Z")});
  const std::vector<std::string> payloads = {"' OR '1'='1",
                                             "acme' OR tenant LIKE '%",
                                             "x'; DROP TABLE findings; --",
                                             "\" OR \"\"=\"",
                                             "%",
                                             "net.a' UNION SELECT * FROM findings --",
                                             "1) OR (1=1",
                                             "'; UPDATE findings SET status='resolved'; --"};
  for (const auto& p : payloads) {
    INFO(p);
    store::ListFilter t;
    t.tenant = p;
    CHECK(s->list(t)->empty());
    store::ListFilter a;
    a.tenant = "acme";
    a.asset = p;
    CHECK(s->list(a)->empty());
    a.asset.clear();
    a.type_prefix = p;
    CHECK(s->list(a)->empty());
    CHECK_FALSE(s->set_status(p, p, core::Status::resolved, p, p).ok());
    CHECK_FALSE(s->history(p, p).ok());
  }
  CHECK(*s->count("acme") == 1);
  CHECK(*s->count("globex") == 1);
  store::ListFilter a;
  a.tenant = "acme";
  CHECK(s->list(a)->at(0).status == core::Status::open_new);
}

TEST_CASE("filters: severity or above, type prefix, asset, status, since") {
  test::TempDir d("store-filter");
  auto s = open_store(d);
  import_all(
      *s, {make("t", "10.0.0.1", "net.auth.cleartext.ftp", "high", "2026-11-01T00:00:00Z"),
           make("t", "10.0.0.1", "net.auth.cleartext.telnet", "critical", "2026-11-03T00:00:00Z"),
           make("t", "10.0.0.2", "net.tls.legacy_version", "medium", "2026-11-02T00:00:00Z"),
           make("t", "10.0.0.3", "net.authx", "low", "2026-11-04T00:00:00Z")});
  store::ListFilter f;
  f.tenant = "t";
  f.severity = Severity::high;
  f.severity_or_above = true;
  CHECK(s->list(f)->size() == 2);
  f.severity_or_above = false;
  CHECK(s->list(f)->size() == 1);
  f.severity.reset();
  f.type_prefix = "net.auth.";
  CHECK(s->list(f)->size() == 2);
  f.type_prefix = "net.auth";  // a prefix is a prefix: includes net.authx
  CHECK(s->list(f)->size() == 3);
  f.type_prefix.clear();
  f.asset = "10.0.0.1";
  CHECK(s->list(f)->size() == 2);
  f.asset.clear();
  f.since = parse_rfc3339("2026-11-02");
  auto since = s->list(f);
  REQUIRE(since->size() == 3);
  CHECK(since->front().type == "net.authx");  // newest first
  f.since.reset();
  f.limit = 1;
  CHECK(s->list(f)->size() == 1);
}

TEST_CASE("status changes are audited; a resolved finding seen again reopens") {
  test::TempDir d("store-audit");
  auto s = open_store(d);
  auto f = make("t", "10.0.0.1", "net.a", "high", "2026-11-01T00:00:00Z");
  import_all(*s, {f});
  REQUIRE(s->set_status("t", f.id, core::Status::acknowledged, "looking", "ana").ok());
  REQUIRE(s->set_status("t", f.id, core::Status::resolved, "patched", "bo").ok());
  auto h = s->history("t", f.id);
  REQUIRE(h->size() == 2);
  CHECK((*h)[0].by == "ana");
  CHECK((*h)[0].from == "new");
  CHECK((*h)[0].to == "acknowledged");
  CHECK((*h)[1].note == "patched");
  CHECK((*h)[1].at >= (*h)[0].at);

  // The same finding imported again at the same time: still resolved.
  import_all(*s, {f});
  CHECK((*s->get("t", f.id))->status == core::Status::resolved);
  // Seen later: it is back, and the trail says why.
  import_all(*s, {make("t", "10.0.0.1", "net.a", "high", "2026-12-01T00:00:00Z")});
  CHECK((*s->get("t", f.id))->status == core::Status::open_new);
  h = s->history("t", f.id);
  REQUIRE(h->size() == 3);
  CHECK((*h)[2].by == "vigil import");
  CHECK((*h)[2].to == "new");
}

TEST_CASE("asset filter matches IP, MAC (any case), hostname (any case) and host id") {
  test::TempDir d("store-asset");
  auto s = open_store(d);
  json j = {{"asset",
             {{"ip", "10.0.0.1"},
              {"mac", "02:ab:00:00:00:01"},
              {"hostname", "Web1.example.test"},
              {"host_id", "4f1c0ffee"}}},
            {"source", "scanner"},
            {"type", "host.x"},
            {"severity", "low"},
            {"title", "x"}};
  auto f = finding_from_import(j, "t", 1);
  REQUIRE(f.ok());
  import_all(*s, {*f, make("t", "10.0.0.2", "net.y", "low", "2026-01-01T00:00:00Z")});
  for (const char* q :
       {"10.0.0.1", "02:ab:00:00:00:01", "02:AB:00:00:00:01", "web1.EXAMPLE.test", "4f1c0ffee"}) {
    INFO(q);
    store::ListFilter lf;
    lf.tenant = "t";
    lf.asset = q;
    auto rows = s->list(lf);
    REQUIRE(rows->size() == 1);
    CHECK(rows->at(0).type == "host.x");
  }
  store::ListFilter lf;
  lf.tenant = "t";
  lf.asset = "02:99:00:00:00:0A";
  CHECK(s->list(lf)->empty());
}

// "Newest first" is the contract; findings seen at the same instant come out
// most recently stored first, under every filter (each index ends in the
// rowid, so no query needs a sort for the tie).
TEST_CASE("list orders by last_seen, then most recently stored first") {
  test::TempDir d("store-order");
  auto s = open_store(d);
  const char* t0 = "2026-05-01T00:00:00Z";
  import_all(*s, {make("a", "10.0.0.1", "net.a", "high", t0),
                  make("a", "10.0.0.2", "net.b", "high", "2026-05-02T00:00:00Z")});
  import_all(*s, {make("a", "10.0.0.3", "net.c", "high", t0)});
  import_all(*s, {make("a", "10.0.0.4", "net.d", "high", t0)});
  for (auto filter : {store::ListFilter{"a"}, store::ListFilter{"a", Severity::high},
                      store::ListFilter{"a", Severity::high, true, "net."}}) {
    auto rows = s->list(filter);
    REQUIRE(rows.ok());
    std::vector<std::string> ips;
    for (const auto& f : *rows) ips.push_back(f.asset.ip);
    CHECK(ips == std::vector<std::string>{"10.0.0.2", "10.0.0.4", "10.0.0.3", "10.0.0.1"});
  }
}

// The JSON columns hold what nlohmann's dump() writes, escapes included, so
// `list` can copy them into its output unchanged.
TEST_CASE("references and fingerprint fields are stored as nlohmann writes them") {
  test::TempDir d("store-json-columns");
  auto s = open_store(d);
  Finding f = make("a", "10.0.0.1", "net.a", "high", "2026-05-01T00:00:00Z");
  f.references = {{"mitre-attack", "T1040"}, {"x\"q\\", "caf\xc3\xa9\n\x01"}};
  f.fingerprint_fields = {"path", "ru\"le\t"};
  import_all(*s, {f, make("a", "10.0.0.2", "net.b", "low", "2026-05-01T00:00:00Z")});
  json refs = json::array();
  for (const auto& r : f.references) refs.push_back({{"framework", r.framework}, {"id", r.id}});
  auto r = test::run("sqlite3 -separator '|' " + d.str("findings.db") +
                     " \"SELECT refs, fingerprint_fields FROM findings ORDER BY asset_ip\"");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == refs.dump() + "|" + json(f.fingerprint_fields).dump() + "\n[]|[]\n");
}

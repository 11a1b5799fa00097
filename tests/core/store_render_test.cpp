// FindingStore::render: a long list fetched and rendered by several
// connections must give exactly what one connection gives, and all of them
// must read one snapshot even while imports commit.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "core/store/finding_store.h"
#include "tests/support/tmpdir.h"

using namespace vigil;
using nlohmann::json;

namespace {

const char* kSeverities[] = {"info", "low", "medium", "high", "critical"};
const char* kTypes[] = {"net.tls.weak_cipher", "net.auth.cleartext.ftp", "host.posture.suid",
                        "host.malware.yara"};

// Finding number `i` of `tenant` (its id depends on `i` alone); `bulk`
// bytes of description make rows large.
core::Finding finding(const std::string& tenant, int i, const std::string& when,
                      std::size_t bulk = 0) {
  json j = {{"asset", {{"ip", "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250)}}},
            {"source", "scanner"},
            {"type", kTypes[i % 4]},
            {"severity", kSeverities[(i / 3) % 5]},
            {"title", "finding " + std::to_string(i)},
            {"description", std::string(bulk, char('a' + i % 26))},
            {"evidence", {{"n", i}}},
            {"last_seen", when}};
  auto f = core::finding_from_import(j, tenant, 0);
  REQUIRE(f.ok());
  return *f;
}

// `n` findings of `tenant`, their times scattered over ten days (and often
// equal, so ties are broken by storage order), severities and types mixed.
void import_many(store::FindingStore& s, const std::string& tenant, int n, std::size_t bulk = 0) {
  auto imp = s.begin_import();
  REQUIRE(imp.ok());
  for (int i = 0; i < n; ++i) {
    const int t = (i * 7919) % 997;
    char when[32];
    std::snprintf(when, sizeof when, "2026-11-%02dT%02d:%02d:00Z", 10 + t % 10, t % 24,
                  (i % 3) * 20);
    REQUIRE(imp->add(finding(tenant, i, when, bulk)).ok());
  }
  REQUIRE(imp->commit().ok());
}

struct Rendered {
  std::string bytes;
  std::set<std::thread::id> threads;  // that called render
};

// Each row as "index<TAB>json<LF>", the index being what render was told.
Rendered render(store::FindingStore& s, const store::ListFilter& f, unsigned readers) {
  Rendered r;
  std::mutex m;
  auto st = s.render(
      f, readers,
      [&](const store::StoredFinding& row, std::size_t index, std::string& out) {
        out += std::to_string(index) + '\t';
        core::append_json(out, row);
        out += '\n';
        std::lock_guard lock(m);
        r.threads.insert(std::this_thread::get_id());
      },
      [&](std::string_view bytes) { r.bytes += bytes; });
  REQUIRE(st.ok());
  return r;
}

// The same through visit(), on this connection alone.
std::string visited(store::FindingStore& s, const store::ListFilter& f) {
  std::string out;
  std::size_t index = 0;
  REQUIRE(s.visit(f, [&](const store::StoredFinding& row) {
             out += std::to_string(index++) + '\t';
             core::append_json(out, row);
             out += '\n';
           }).ok());
  return out;
}

std::size_t lines(const std::string& s) {
  return std::count(s.begin(), s.end(), '\n');
}

}  // namespace

TEST_CASE("a long list rendered by several connections is byte for byte what one gives") {
  test::TempDir d("store-render");
  auto s = store::FindingStore::open(d.str("f.db"));
  REQUIRE(s.ok());
  import_many(**s, "acme", 9000);
  import_many(**s, "beta", 3000);          // never listed for acme
  import_many(**s, "gamma", 1000, 16000);  // 16 KB rows: windows of fewer rows
  import_many(**s, "delta", 30);           // less than a first window

  store::ListFilter all;
  all.tenant = "acme";
  auto since = all;
  since.since = *parse_rfc3339("2026-11-14T00:00:00Z");
  auto high = all;
  high.severity = core::Severity::high;
  high.severity_or_above = true;
  auto type = all;
  type.type_prefix = "net.";
  auto cut = all;
  cut.limit = 5001;
  auto small = all;
  small.severity = core::Severity::critical;
  small.limit = 40;
  auto status = all;  // a status is judged on the row: one connection
  status.status = core::Status::open_new;
  auto large = all;
  large.tenant = "gamma";
  auto few = all;  // readers start, then this connection reads the 30 rows
  few.tenant = "delta";

  struct Case {
    const char* name;
    store::ListFilter f;
    std::size_t rows;
    bool shared;  // long enough and filtered in finding_times: several readers
  };
  const Case cases[] = {{"all", all, 9000, true},        {"since", since, 5388, true},
                        {"high+", high, 3600, true},     {"type", type, 4500, true},
                        {"limit", cut, 5001, true},      {"short", small, 40, false},
                        {"status", status, 9000, false}, {"large rows", large, 1000, true},
                        {"few rows", few, 30, false}};
  for (const auto& c : cases) {
    INFO(c.name);
    const std::string expected = visited(**s, c.f);
    CHECK(lines(expected) == c.rows);
    CHECK(expected.find("\"tenant\":\"beta\"") == std::string::npos);
    const Rendered one = render(**s, c.f, 1);
    CHECK(one.bytes == expected);
    CHECK(one.threads.size() == 1);
    const Rendered three = render(**s, c.f, 3);
    CHECK(three.bytes == expected);
    // Shared: rendered by reader threads only (how many of the three took
    // pieces depends on the scheduler); else by this thread alone.
    CHECK(three.threads.count(std::this_thread::get_id()) == (c.shared ? 0 : 1));
    CHECK(three.threads.size() >= 1);
    if (!c.shared) CHECK(three.threads.size() == 1);
  }
}

TEST_CASE("the readers of a long list read the snapshot its order came from while imports commit") {
  test::TempDir d("store-render-snapshot");
  const std::string db = d.str("f.db");
  auto s = store::FindingStore::open(db);
  REQUIRE(s.ok());
  import_many(**s, "acme", 6000);
  // Import k sees every finding i with i % 20 == k % 20 again, at a time
  // later than all before: that group moves to the head of the list. Rows
  // read from one snapshot in the order of that snapshot are newest first;
  // a reader whose snapshot differs from the one the order came from (or
  // from another reader's) prints a moved group where it was, out of order.
  std::atomic<bool> stop{false};
  std::atomic<int> commits{0};
  std::thread writer([&] {
    auto w = store::FindingStore::open(db);
    REQUIRE(w.ok());
    for (int k = 0; !stop; ++k) {
      auto imp = (*w)->begin_import();
      REQUIRE(imp.ok());
      char when[32];
      std::snprintf(when, sizeof when, "2026-11-25T%02d:%02d:%02dZ", k / 3600 % 24, k / 60 % 60,
                    k % 60);
      for (int i = k % 20; i < 6000; i += 20) REQUIRE(imp->add(finding("acme", i, when)).ok());
      REQUIRE(imp->commit().ok());
      ++commits;
    }
  });
  store::ListFilter f;
  f.tenant = "acme";
  int unordered = 0, lists = 0;
  std::set<std::string> heads;  // the newest time of each list
  for (; lists < 300 && (lists < 60 || commits < 20); ++lists) {
    const Rendered r = render(**s, f, 2);
    std::istringstream in(r.bytes);
    std::size_t n = 0;
    std::string last;
    bool ordered = true;
    for (std::string line; std::getline(in, line); ++n) {
      const auto seen =
          json::parse(line.substr(line.find('\t') + 1))["last_seen"].get<std::string>();
      if (n == 0) heads.insert(seen);
      ordered = ordered && (n == 0 || seen <= last);
      last = seen;
    }
    REQUIRE(n == 6000);
    unordered += !ordered;
  }
  stop = true;
  writer.join();
  CHECK(unordered == 0);
  // Imports did commit while the lists were read.
  CHECK(heads.size() >= 10);
  INFO("lists " << lists << ", commits " << commits);
}

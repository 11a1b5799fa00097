// The `vigil` command as users and schedulers drive it: exit codes, one-line
// errors naming FILE:LINE, all-or-nothing imports and tenant-scoped commands.
#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "tests/support/tmpdir.h"

using vigil::test::run;
using vigil::test::sh_quote;
using vigil::test::TempDir;
using vigil::test::write_file;

namespace {

const std::string kVigil = VIGIL_BIN;

const char* kGood =
    R"({"asset":{"ip":"10.99.0.1"},"source":"sensor","type":"net.auth.cleartext.ftp","severity":"high","title":"FTP login in clear text","evidence":{"user":"alice","password_present":true}}
{"asset":{"ip":"10.99.0.1"},"source":"sensor","type":"net.proto.insecure.telnet","severity":"medium","title":"Telnet in use"}
{"asset":{"hostname":"db1"},"source":"scanner","type":"host.cert.expired","severity":"low","title":"Expired certificate","evidence":{"path":"/etc/ssl/x.pem"},"fingerprint_fields":["path"]}
)";

struct Cli {
  TempDir dir{"cli"};
  std::string db = dir.str("f.db");
  vigil::test::RunResult operator()(const std::string& args) {
    return run(kVigil + " " + args + " --db " + db);
  }
};

}  // namespace

TEST_CASE("exit codes: version 0, usage 64, error 1") {
  CHECK(run(kVigil + " --version").out.find("vigil 0.") == 0);
  CHECK(run(kVigil + " --version").exit_code == 0);
  CHECK(run(kVigil + " --no-such-flag").exit_code == 64);
  CHECK(run(kVigil).exit_code == 64);
  CHECK(run(kVigil + " findings list").exit_code == 64);  // --tenant missing
  auto help = run(kVigil + " --help");
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("64  usage error") != std::string::npos);
  auto h = run(kVigil + " help findings");
  CHECK(h.exit_code == 0);
  CHECK(h.out.find("import") != std::string::npos);
  CHECK(run(kVigil + " help nonsense").exit_code == 64);
  TempDir d("cli-missing");
  auto missing =
      run(kVigil + " findings import " + d.str("nope.jsonl") + " --tenant a --db " + d.str("x.db"));
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.rfind("vigil: " + d.str("nope.jsonl") + ": cannot open", 0) == 0);
}

TEST_CASE("import is all or nothing and names FILE:LINE of the bad line") {
  Cli vigil;
  const std::string good = vigil.dir.str("good.jsonl");
  write_file(good, kGood);
  REQUIRE(vigil("findings import " + good + " --tenant acme").exit_code == 0);

  const std::string bad = vigil.dir.str("bad.jsonl");
  write_file(
      bad,
      std::string(kGood) + "\n" +
          R"({"asset":{"ip":"10.0.0.7"},"source":"sensor","type":"net.x","severity":"low","title":"new one"})"
          "\n"
          R"({"asset":{"ip":"10.0.0.8"},"source":"sensor","type":"net.y","title":"no severity"})"
          "\n");
  auto r = vigil("findings import " + bad + " --tenant acme");
  CHECK(r.exit_code == 1);
  CHECK(r.err == "vigil: " + bad + ":6: missing field 'severity'\n");
  // Nothing of the failed file landed: the 3 good ones have count 1, net.x is absent.
  auto list = vigil("findings list --tenant acme --format json");
  REQUIRE(list.exit_code == 0);
  int lines = 0;
  for (std::size_t p = 0; (p = list.out.find('\n', p)) != std::string::npos; ++p) ++lines;
  CHECK(lines == 3);
  CHECK(list.out.find("net.x") == std::string::npos);
  CHECK(list.out.find("\"count\":2") == std::string::npos);

  write_file(bad, "{\"asset\": \n");
  r = vigil("findings import " + bad + " --tenant acme");
  CHECK(r.exit_code == 1);
  CHECK(r.err == "vigil: " + bad + ":1: not valid JSON\n");
}

TEST_CASE("list formats, filters and --fail-on") {
  Cli vigil;
  const std::string good = vigil.dir.str("good.jsonl");
  write_file(good, kGood);
  REQUIRE(vigil("findings import " + good + " --tenant acme").exit_code == 0);
  REQUIRE(vigil("findings import " + good + " --tenant acme").exit_code == 0);

  auto j = vigil("findings list --tenant acme --severity medium+ --format json");
  REQUIRE(j.exit_code == 0);
  std::size_t n = 0;
  std::istringstream in(j.out);
  for (std::string line; std::getline(in, line); ++n) {
    auto f = nlohmann::json::parse(line);
    CHECK(f["count"] == 2);
    CHECK(f["tenant"] == "acme");
  }
  CHECK(n == 2);
  auto csv = vigil("findings list --tenant acme --type host. --format csv");
  CHECK(csv.out.find("host.cert.expired") != std::string::npos);
  CHECK(csv.out.find("net.auth") == std::string::npos);
  // A table streams: header, one line per finding, the count; cut at --limit.
  auto table = vigil("findings list --tenant acme --format table --limit 2");
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.rfind("ID            SEVERITY  TYPE", 0) == 0);
  CHECK(std::count(table.out.begin(), table.out.end(), '\n') == 4);
  CHECK(table.out.find("\n2 findings\n") != std::string::npos);
  CHECK(table.err.find("showing the newest 2 findings") != std::string::npos);
  auto all_rows = vigil("findings list --tenant acme --format table --limit 0");
  CHECK(all_rows.out.find("\n3 findings\n") != std::string::npos);
  CHECK(all_rows.out.find("FTP login in clear text") != std::string::npos);
  CHECK(vigil("findings list --tenant acme --fail-on high").exit_code == 2);
  CHECK(vigil("findings list --tenant acme --fail-on critical").exit_code == 0);
  CHECK(vigil("findings list --tenant acme --severity severe").exit_code == 64);
  CHECK(vigil("findings list --tenant acme --since yesterday").exit_code == 64);
  CHECK(vigil("findings list --tenant acme --format xml").exit_code == 64);
}

TEST_CASE("CLI keeps tenants apart and resists injection through arguments") {
  Cli vigil;
  const std::string good = vigil.dir.str("good.jsonl");
  write_file(good, kGood);
  REQUIRE(vigil("findings import " + good + " --tenant globex").exit_code == 0);
  auto b = vigil("findings list --tenant globex --format json --type net.auth");
  const std::string id = nlohmann::json::parse(b.out.substr(0, b.out.find('\n')))["id"];

  CHECK(vigil("findings list --tenant acme --format json").out.empty());
  auto set = vigil("findings set-status " + id + " resolved --tenant acme --note x");
  CHECK(set.exit_code == 1);
  CHECK(set.err == "vigil: no finding " + id + " for tenant 'acme'\n");
  CHECK(vigil("findings history " + id + " --tenant acme").exit_code == 1);
  for (const std::string p : {"' OR '1'='1", "globex' --", "x'; DROP TABLE findings; --"}) {
    INFO(p);
    CHECK(vigil("findings list --format json --tenant " + sh_quote(p)).out.empty());
    CHECK(vigil("findings list --format json --tenant acme --asset " + sh_quote(p)).out.empty());
    CHECK(vigil("findings list --format json --tenant acme --type " + sh_quote(p)).out.empty());
    CHECK(vigil("findings set-status " + sh_quote(p) + " resolved --note n --tenant " + sh_quote(p))
              .exit_code == 1);
  }
  auto still = vigil("findings list --tenant globex --format json");
  CHECK(std::count(still.out.begin(), still.out.end(), '\n') == 3);

  REQUIRE(
      vigil("findings set-status " + id + " acknowledged --tenant globex --note triage --by ana")
          .exit_code == 0);
  auto h = vigil("findings history " + id + " --tenant globex --format json");
  REQUIRE(h.exit_code == 0);
  auto e = nlohmann::json::parse(h.out);
  CHECK(e["by"] == "ana");
  CHECK(e["from"] == "new");
  CHECK(e["to"] == "acknowledged");
  CHECK(e["note"] == "triage");
  CHECK(vigil("findings set-status " + id + " bogus --tenant globex --note n").exit_code == 64);
}

TEST_CASE("list is cut at --limit with a note on stderr; --fail-on still sees every match") {
  Cli vigil;
  const std::string good = vigil.dir.str("good.jsonl");
  write_file(good, kGood);
  REQUIRE(vigil("findings import " + good + " --tenant acme").exit_code == 0);
  // Newest first: all three share last_seen, so the id decides the order.
  auto all = vigil("findings list --tenant acme --format json --limit 0");
  REQUIRE(all.exit_code == 0);
  CHECK(all.err.find("more match") == std::string::npos);
  std::vector<nlohmann::json> rows;
  std::istringstream in(all.out);
  for (std::string line; std::getline(in, line);) rows.push_back(nlohmann::json::parse(line));
  REQUIRE(rows.size() == 3);

  auto one = vigil("findings list --tenant acme --format json --limit 1");
  REQUIRE(one.exit_code == 0);
  CHECK(nlohmann::json::parse(one.out) == rows[0]);
  CHECK(one.err.find("showing the newest 1 findings; more match") != std::string::npos);
  CHECK(vigil("findings list --tenant acme --format json --limit 3").err.empty());
  // --fail-on answers for the whole match, not only for the printed rows:
  // the one high finding is listed first or not at all.
  const auto high = std::count_if(rows.begin(), rows.end(),
                                  [](const nlohmann::json& r) { return r["severity"] == "high"; });
  REQUIRE(high == 1);
  CHECK(vigil("findings list --tenant acme --format json --limit 1 --severity low --fail-on high")
            .exit_code == 0);
  CHECK(vigil("findings list --tenant acme --format json --limit 1 --fail-on high").exit_code == 2);
  CHECK(vigil("findings list --tenant acme --format json --limit 1 --fail-on critical").exit_code ==
        0);
}

TEST_CASE("a long export is the same on one CPU and on several, in JSON and CSV") {
  Cli vigil;
  // Long enough for several reader connections (FindingStore::render).
  std::string lines;
  for (int i = 0; i < 5000; ++i) {
    nlohmann::json j = {
        {"asset", {{"ip", "10.7." + std::to_string(i / 200) + "." + std::to_string(i % 200)}}},
        {"source", "sensor"},
        {"type", i % 2 ? "net.tls.weak_cipher" : "net.auth.cleartext.ftp"},
        {"severity", i % 5 == 0 ? "critical" : "medium"},
        {"title", "=cmd|' /C calc'!A0 " + std::to_string(i)},
        {"last_seen", "2026-11-" + std::to_string(10 + i % 9) + "T00:00:00Z"}};
    lines += j.dump() + "\n";
  }
  const std::string file = vigil.dir.str("many.jsonl");
  write_file(file, lines);
  REQUIRE(vigil("findings import " + file + " --tenant acme").exit_code == 0);
  // taskset -c 0: one usable CPU, so one connection renders everything.
  auto one_cpu = [&](const std::string& args) {
    return run("taskset -c 0 " + kVigil + " " + args + " --db " + vigil.db);
  };
  for (const char* format : {"json", "csv"}) {
    INFO(format);
    const std::string args =
        std::string("findings list --tenant acme --limit 0 --format ") + format;
    auto many = vigil(args);
    auto one = one_cpu(args);
    REQUIRE(many.exit_code == 0);
    REQUIRE(one.exit_code == 0);
    CHECK(many.out == one.out);
    CHECK(std::count(many.out.begin(), many.out.end(), '\n') ==
          (std::string(format) == "csv" ? 5001 : 5000));
  }
  // Cut past the first few thousand rows: the note, and --fail-on for the rest.
  auto cut = vigil("findings list --tenant acme --format json --limit 3000 --fail-on critical");
  CHECK(cut.exit_code == 2);
  CHECK(std::count(cut.out.begin(), cut.out.end(), '\n') == 3000);
  CHECK(cut.err.find("showing the newest 3000 findings; more match") != std::string::npos);
  CHECK(cut.out == one_cpu("findings list --tenant acme --format json --limit 3000").out);
  auto csv = vigil("findings list --tenant acme --format csv --limit 0 --severity critical");
  CHECK(csv.out.find(",'=cmd|") != std::string::npos);  // formulas neutralised
  CHECK(csv.out.find(",=cmd") == std::string::npos);
}

TEST_CASE("text options that end up in JSON must be UTF-8: a usage error, not a crash") {
  Cli vigil;
  const std::string good = vigil.dir.str("good.jsonl");
  write_file(good, kGood);
  const std::string bad = "\"$(printf 'ab\\377cd')\"";
  auto imp = vigil("findings import " + good + " --tenant " + bad);
  CHECK(imp.exit_code == 64);
  CHECK(imp.err.find("vigil: --tenant: not valid UTF-8") == 0);
  CHECK(vigil("findings list --tenant " + bad).exit_code == 64);
  REQUIRE(vigil("findings import " + good + " --tenant acme").exit_code == 0);
  auto id =
      nlohmann::json::parse(vigil("findings list --tenant acme --format json --limit 1").out)["id"]
          .get<std::string>();
  auto set = vigil("findings set-status " + id + " acknowledged --tenant acme --note " + bad);
  CHECK(set.exit_code == 64);
  CHECK(set.err.find("--note: not valid UTF-8") != std::string::npos);
  CHECK(vigil("findings import " + good + " --tenant \"$(printf 'z\\303\\251')\"").exit_code == 0);
}

// The results reader: tolerant of unknown fields, strict about required ones
// with file + JSON pointer in the error; Markdown and JSON outputs from it.
#include <catch2/catch.hpp>

#include "reports/formats.h"
#include "reports/model/load.h"
#include "tests/reports/report_fixtures.h"

using namespace vigil;

TEST_CASE("results reader: required fields named by JSON pointer", "[model]") {
  auto base = test::results(
      "web1", "2026-11-26T12:00:00Z",
      {test::rule("r1", "One", "pass", "low"), test::rule("r2", "Two", "fail", "high")});
  base["some_future_field"] = {{"x", 1}};
  base["rules"][0]["future"] = true;
  {
    reports::Report rep;
    REQUIRE(reports::add_results_json(rep, base, "ok.json").ok());
    REQUIRE(rep.runs.size() == 1);
    CHECK(rep.runs[0].counts[0] == 1);
    CHECK(rep.runs[0].counts[1] == 1);
    CHECK(rep.rules.size() == 2);
    CHECK(rep.rules[0].group_path == std::vector<std::string>{"Services", "SSH Server"});
  }
  struct Case {
    std::string pointer, expect;
  };
  for (const auto& c : std::vector<Case>{{"/host/name", "x.json: /host/name: missing"},
                                         {"/rules/1/result", "x.json: /rules/1/result: missing"},
                                         {"/scores/0/score", "x.json: /scores/0/score: missing"},
                                         {"/start_time", "x.json: /start_time: missing"},
                                         {"/frameworks/0/controls/0/status",
                                          "x.json: /frameworks/0/controls/0/status: missing"}}) {
    auto j = base;
    const nlohmann::json::json_pointer ptr(c.pointer);
    j[ptr.parent_pointer()].erase(ptr.back());
    reports::Report rep;
    auto st = reports::add_results_json(rep, j, "x.json");
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().str() == c.expect);
  }
  auto j = base;
  j["rules"][0]["result"] = "maybe";
  reports::Report rep;
  auto st = reports::add_results_json(rep, j, "x.json");
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().str() == "x.json: /rules/0/result: unknown result 'maybe'");
  j = base;
  j["format"] = "something-else";
  CHECK_FALSE(reports::add_results_json(rep, j, "x.json").ok());
}

TEST_CASE("report cli: bad input gives one line with file and pointer", "[model][cli]") {
  const std::string dir = test::tmp_dir("reader");
  auto j = test::results("web1", "2026-11-26T12:00:00Z", {test::rule("r1", "One", "pass", "low")});
  j["rules"][0].erase("id");
  test::write_text(dir + "/bad.json", j.dump());
  auto r = test::vigil("report --results " + dir + "/bad.json --format md --out " + dir + "/x.md");
  CHECK(r.exit_code == 1);
  CHECK(r.output == "vigil: " + dir + "/bad.json: /rules/0/id: missing\n");
  test::write_text(dir + "/broken.json", "{\"format\": ");
  r = test::vigil("report --results " + dir + "/broken.json --format md --out " + dir + "/x.md");
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("broken.json:offset") != std::string::npos);
  r = test::vigil("report --results " + dir + "/bad.json --format docx --out " + dir + "/x.md");
  CHECK(r.exit_code == 64);
  // Assets need an address or a name.
  test::write_text(dir + "/ok.json", test::results("web1", "2026-11-26T12:00:00Z",
                                                   {test::rule("r1", "One", "pass", "low")})
                                         .dump());
  test::write_text(dir + "/assets.jsonl",
                   "{\"ip\":\"10.0.0.1\",\"vendor\":\"Acme\"}\n{\"os\":\"linux\"}\n");
  r = test::vigil("report --results " + dir + "/ok.json --assets " + dir +
                  "/assets.jsonl --format md --out " + dir + "/x.md");
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("assets.jsonl:2: /: an asset needs at least one of ip, mac, hostname") !=
        std::string::npos);
}

TEST_CASE("markdown and json reports", "[md][json]") {
  const std::string dir = test::tmp_dir("mdjson");
  test::write_text(dir + "/a.json", test::results("web|1 <b>", "2026-11-26T12:00:00Z",
                                                  {test::rule("r1", "One", "pass", "low"),
                                                   test::rule("r2", "Two `x`", "fail", "high")},
                                                  50)
                                        .dump());
  test::write_findings(
      dir + "/f.jsonl",
      {test::finding("web", "a.example", core::Severity::high, "net.http.cleartext"), [] {
         auto f = test::finding("web", "b.example", core::Severity::low, "net.http.cleartext");
         f.tenant = "other";
         f.id = core::fingerprint(f);
         return f;
       }()});
  auto r = test::vigil("report --results " + dir + "/a.json --findings " + dir +
                       "/f.jsonl --tenant acme --format md --out " + dir + "/r.md");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const std::string md = test::read_text(dir + "/r.md");
  CHECK(md.find("| web\\|1 &lt;b&gt; | 50.0% | 1 | 1 | 0 |") != std::string::npos);
  CHECK(md.find("| Two \\`x\\` | high | 1 of 1 |") != std::string::npos);
  CHECK(md.find("- high: 1\n") != std::string::npos);  // tenant "other" filtered out
  CHECK(md.find("- low: 0\n") != std::string::npos);

  r = test::vigil("report --results " + dir + "/a.json --findings " + dir +
                  "/f.jsonl --framework pci-dss --format json --out " + dir + "/r.json");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(test::read_text(dir + "/r.json"));
  CHECK(j["format"] == "vigil-report");
  REQUIRE(j["runs"].size() == 1);
  CHECK(j["runs"][0]["rules"][1]["evidence"].is_array());
  CHECK(j["runs"][0]["rules"][1]["description"] == "Description of Two `x`");
  REQUIRE(j["runs"][0]["frameworks"].size() == 1);  // --framework pci-dss keeps pci-dss-4.0 only
  CHECK(j["runs"][0]["frameworks"][0]["framework"] == "pci-dss-4.0");
  CHECK(j["findings"].size() == 2);  // no --tenant: both
}

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

namespace {

std::string model_dump(reports::Report& rep) {
  rep.generated = "2026-11-26T00:00:00Z";
  reports::finish(rep);
  return reports::report_json(rep).dump();
}

}  // namespace

TEST_CASE("streamed reader: same model as the DOM reader, order kept", "[model]") {
  const std::string dir = test::tmp_dir("stream");
  std::vector<nlohmann::json> docs = {
      test::results("web1", "2026-11-25T12:00:00Z",
                    {test::rule("r1", "One", "pass", "low"),
                     test::rule("r2", "Two", "fail", "high",
                                test::oval_file_evidence("/etc/ssh/sshd_config"))},
                    50),
      test::results(
          "db1", "2026-11-26T12:00:00Z",
          {test::rule("r2", "Two", "pass", "high"), test::rule("r3", "Three", "fail", "medium")},
          50),
      test::results(
          "web1", "2026-11-26T12:00:00Z",
          {test::rule("r1", "One", "fail", "low"), test::rule("r3", "Three", "pass", "medium")},
          50)};
  // Same rule id in another benchmark: its own texts.
  docs.push_back(test::results("app1", "2026-11-26T12:00:00Z",
                               {test::rule("r1", "Other one", "pass", "low")}, 100));
  docs.back()["benchmark"]["id"] = "xccdf_test_benchmark_other";
  std::vector<std::string> paths;
  reports::Report dom;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    paths.push_back(dir + "/r" + std::to_string(i) + ".json");
    test::write_text(paths.back(), docs[i].dump(1));
    REQUIRE(reports::add_results_json(dom, docs[i], paths.back()).ok());
  }
  reports::Report streamed;
  REQUIRE(reports::add_results_files(streamed, paths).ok());
  CHECK(streamed.rules.size() == 4);
  CHECK(model_dump(streamed) == model_dump(dom));
  REQUIRE(streamed.rules.size() == 4);
  CHECK(streamed.rules[3].title == "Other one");

  // Members in another order (rules before benchmark): texts still kept.
  nlohmann::ordered_json odd;
  odd["rules"] = docs[0]["rules"];
  for (auto& [k, v] : docs[0].items())
    if (k != "rules") odd[k] = v;
  test::write_text(dir + "/odd.json", odd.dump());
  reports::Report r2;
  REQUIRE(reports::add_results_files(r2, {dir + "/odd.json"}).ok());
  REQUIRE(r2.rules.size() == 2);
  CHECK(r2.rules[1].description == "Description of Two");
  CHECK(r2.runs[0].rows[1].evidence.size() == 1);
}

TEST_CASE("streamed reader: bad rules and nesting named", "[model]") {
  const std::string dir = test::tmp_dir("stream-bad");
  auto j = test::results("web1", "2026-11-26T12:00:00Z", {test::rule("r1", "One", "pass", "low")});
  j["rules"].push_back("not a rule");
  test::write_text(dir + "/scalar.json", j.dump());
  reports::Report rep;
  auto st = reports::add_results_files(rep, {dir + "/scalar.json"});
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().str() == dir + "/scalar.json: /rules/1: must be an object");
  // A rule error waits for the header: the missing host is named first.
  j.erase("host");
  test::write_text(dir + "/nohost.json", j.dump());
  st = reports::add_results_files(rep, {dir + "/nohost.json"});
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().str() == dir + "/nohost.json: /host: missing");
  // Nesting of kept members is capped.
  test::write_text(dir + "/deep.json",
                   "{\"scores\":" + std::string(5000, '[') + std::string(5000, ']') + "}");
  st = reports::add_results_files(rep, {dir + "/deep.json"});
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().what.find("nested deeper than") != std::string::npos);
}

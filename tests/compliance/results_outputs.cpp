// Results files: the JSON of docs/results.md, XCCDF results that oscap validates and turns
// into a report, and an ARF that passes `oscap ds rds-validate`.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "compliance/results/session.h"

namespace {

namespace vc = vigil::compliance;
namespace fs = std::filesystem;

std::string dir() {
  const std::string d = std::string(VIGIL_TEST_TMP) + "/compliance-results";
  fs::create_directories(d);
  return d;
}

int run(const std::string& cmd) {
  return std::system((cmd + " >/dev/null 2>&1").c_str());
}

}  // namespace

TEST_CASE("results: network baseline JSON, XCCDF results and ARF", "[results]") {
  const std::string f = dir() + "/f.jsonl";
  std::ofstream(f)
      << R"({"asset":{"ip":"192.0.2.7","hostname":"mail"},"source":"sensor","type":"net.auth.cleartext.pop3","severity":"high","title":"POP3 USER/PASS","evidence":{"port":110}})"
      << "\n";
  vc::EvalOptions o;
  o.benchmark = (fs::path(__FILE__).parent_path().parent_path().parent_path() /
                 "benchmarks/network-baseline.xml")
                    .string();
  o.profile = "xccdf_io.vigil_profile_baseline";
  o.findings = {f};
  o.host = "mail";
  o.results_json = dir() + "/r.json";
  o.xccdf_results = dir() + "/r.xml";
  o.arf = dir() + "/arf.xml";
  auto s = vc::run_eval(o);
  REQUIRE(s.ok());
  REQUIRE(vc::write_outputs(**s, o).ok());
  CHECK((*s)->any_failed());

  std::ifstream in(o.results_json);
  auto j = nlohmann::json::parse(in);
  CHECK(j["format"] == "vigil-xccdf-results");
  CHECK(j["format_version"] == 1);
  CHECK(j["host"]["name"] == "mail");
  CHECK(j["benchmark"]["id"] == "xccdf_io.vigil_benchmark_network-baseline");
  CHECK(j["benchmark"]["sha256"].get<std::string>().size() == 64);
  CHECK(j["profile"]["id"] == "xccdf_io.vigil_profile_baseline");
  CHECK(j["summary"]["fail"] == 1);
  CHECK(j["summary"]["pass"] == 19);
  REQUIRE(j["scores"].size() == 2);
  CHECK(j["scores"][0]["system"] == "urn:xccdf:scoring:default");
  CHECK(j["scores"][1]["maximum"] == 142.0);  // sum of the 20 rule weights
  CHECK(j["scores"][1]["score"] == 137.0);    // all but the failed weight-5 rule
  nlohmann::json failed;
  for (const auto& r : j["rules"])
    if (r["result"] == "fail") failed = r;
  REQUIRE(failed.is_object());
  CHECK(failed["id"] == "xccdf_io.vigil_rule_no_cleartext_mailbox_auth");
  CHECK(failed["severity"] == "medium");
  CHECK(failed["weight"] == 5.0);
  CHECK(failed["group_path"][0]["id"] == "xccdf_io.vigil_group_cleartext_auth");
  CHECK(failed["rationale"].get<std::string>().find("password") != std::string::npos);
  CHECK(!failed["fixtext"].empty());
  CHECK(failed["evidence"][0]["type"] == "net.auth.cleartext.pop3");
  bool pci = false;
  for (const auto& r : failed["references"])
    pci = pci || (r.value("framework", "") == "pci-dss-4.0" && r["text"] == "8.3.2");
  CHECK(pci);
  bool rolled = false;
  for (const auto& fw : j["frameworks"])
    if (fw["framework"] == "pci-dss-4.0")
      for (const auto& c : fw["controls"])
        if (c["id"] == "8.3.2") rolled = c["status"] == "fail";
  CHECK(rolled);

  REQUIRE(::access("/usr/bin/oscap", X_OK) == 0);
  CHECK(run("oscap xccdf validate '" + o.xccdf_results + "'") == 0);
  CHECK(run("oscap xccdf generate report --output '" + dir() + "/report.html' '" + o.xccdf_results +
            "'") == 0);
  CHECK(fs::file_size(dir() + "/report.html") > 10000);
  CHECK(run("oscap ds rds-validate '" + o.arf + "'") == 0);
}

TEST_CASE("results: SSG datastream XCCDF results and ARF validate", "[results]") {
  vc::EvalOptions o;
  o.benchmark = "/usr/share/xml/scap/ssg/content/ssg-ubuntu2204-ds.xml";
  o.profile = "cis_level1_server";
  o.root = "/";  // not Ubuntu 22.04: every rule is notapplicable, the files must still be valid
  o.xccdf_results = dir() + "/ssg.xml";
  o.arf = dir() + "/ssg-arf.xml";
  auto s = vc::run_eval(o);
  REQUIRE(s.ok());
  REQUIRE(vc::write_outputs(**s, o).ok());
  // Validating these 11 MB files with oscap takes minutes: done by hand (see the report),
  // here we check they are well-formed and carry the TestResult.
  pugi::xml_document x, a;
  REQUIRE(x.load_file(o.xccdf_results.c_str()));
  REQUIRE(a.load_file(o.arf.c_str()));
  CHECK(x.select_nodes("//*[local-name()='rule-result']").size() == 592);
  CHECK(a.select_nodes("//*[local-name()='TestResult']").size() == 1);
}

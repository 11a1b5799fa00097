// Generates HOSTS results files (docs/results.md) of RULES rules each, for the
// report benchmark (perf/bench-reports.sh): realistic texts, group paths,
// framework references, ~25% failing rules with OVAL file evidence, a framework
// rollup. Deterministic (fixed seed) so runs compare.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

std::string words(std::mt19937_64& rng, int n) {
  static const char* kWords[] = {"the",     "system",    "must",        "configure", "audit",
                                 "service", "file",      "permissions", "owner",     "daemon",
                                 "kernel",  "parameter", "network",     "access",    "password",
                                 "policy",  "log",       "remote",      "login",     "secure"};
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i) out += ' ';
    out += kWords[rng() % std::size(kWords)];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: results_gen OUT_DIR HOSTS RULES\n");
    return 64;
  }
  const std::string dir = argv[1];
  const int hosts = std::atoi(argv[2]), nrules = std::atoi(argv[3]);
  std::mt19937_64 rng(42);
  // The benchmark's rules: the same texts on every host.
  std::vector<json> rules;
  for (int r = 0; r < nrules; ++r) {
    const std::string id = "xccdf_org.ssgproject.content_rule_r" + std::to_string(r);
    const int g = r / 20;
    rules.push_back(
        {{"id", id},
         {"title", "Ensure " + words(rng, 6)},
         {"severity", std::vector<std::string>{"low", "medium", "high"}[r % 3]},
         {"weight", 1.0},
         {"role", "full"},
         {"group_path",
          {{{"id", "xccdf_org.ssgproject.content_group_g" + std::to_string(g / 4)},
            {"title", "Section " + std::to_string(g / 4 + 1)}},
           {{"id", "xccdf_org.ssgproject.content_group_g" + std::to_string(g)},
            {"title", words(rng, 3)}}}},
         {"references",
          {{{"href", "https://www.cisecurity.org/controls/v8"},
            {"text", std::to_string(r % 18 + 1) + "." + std::to_string(r % 7 + 1)},
            {"framework", "cis-controls-v8"}},
           {{"href", "https://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-53r5.pdf"},
            {"text", "CM-" + std::to_string(r % 12 + 1)},
            {"framework", "nist-800-53r5"}}}},
         {"idents",
          {{{"system", "https://ncp.nist.gov/cce"},
            {"value", "CCE-8" + std::to_string(1000 + r)}}}},
         {"description", words(rng, 45)},
         {"rationale", words(rng, 30)},
         {"warnings", json::array()},
         {"fixtext", {words(rng, 20)}},
         {"fixes", json::array()},
         {"check",
          {{"system", "http://oval.mitre.org/XMLSchema/oval-definitions-5"},
           {"href", "ssg-oval.xml"},
           {"name", "oval:ssg-r" + std::to_string(r) + ":def:1"}}}});
  }
  for (int h = 0; h < hosts; ++h) {
    json rs = json::array();
    int pass = 0, fail = 0;
    json controls = json::object();
    for (int r = 0; r < nrules; ++r) {
      json rule = rules[r];
      const bool failed = (rng() % 4) == 0;
      rule["result"] = failed ? "fail" : "pass";
      rule["message"] = "";
      (failed ? fail : pass)++;
      json ev = json::array();
      if (failed)
        ev.push_back({{"kind", "oval"},
                      {"definition", rule["check"]["name"]},
                      {"result", "false"},
                      {"tests",
                       {{{"test", "oval:ssg-r" + std::to_string(r) + ":tst:1"},
                         {"type", "textfilecontent54_test"},
                         {"comment", "setting present"},
                         {"object", "oval:ssg-r" + std::to_string(r) + ":obj:1"},
                         {"result", "false"},
                         {"flag", "complete"},
                         {"items",
                          {{{"type", "textfilecontent_item"},
                            {"status", "exists"},
                            {"result", "false"},
                            {"fields", {{"text", "Setting" + std::to_string(r) + " no"}}},
                            {"file", "/etc/conf.d/file" + std::to_string(r % 40)},
                            {"line", r % 90 + 1}}}},
                         {"items_omitted", 0},
                         {"messages", json::array()}}}}});
      rule["evidence"] = ev;
      const std::string ctl = rule["references"][0]["text"];
      auto& c = controls[ctl];
      if (c.is_null())
        c = {{"id", ctl}, {"status", "pass"}, {"pass", 0},
             {"fail", 0}, {"other", 0},       {"rules", json::array()}};
      c[failed ? "fail" : "pass"] = c[failed ? "fail" : "pass"].get<int>() + 1;
      if (failed) c["status"] = "fail";
      c["rules"].push_back(rule["id"]);
      rs.push_back(std::move(rule));
    }
    json cl = json::array();
    int cp = 0, cf = 0;
    for (auto& [k, v] : controls.items()) {
      (v["status"] == "pass" ? cp : cf)++;
      cl.push_back(v);
    }
    const std::string name = "host" + std::to_string(h) + ".example.net";
    json doc = {{"format", "vigil-xccdf-results"},
                {"format_version", 1},
                {"generator", {{"name", "vigil"}, {"version", "0.1.0"}}},
                {"test_result_id", "xccdf_io.vigil_testresult_default_profile"},
                {"host",
                 {{"name", name},
                  {"all_assets", false},
                  {"hostnames", {name}},
                  {"host_ids", json::array()},
                  {"ips", {"10." + std::to_string(h / 250) + "." + std::to_string(h % 250) + ".1"}},
                  {"macs", json::array()}}},
                {"target", {{"root", "/"}, {"facts", nullptr}, {"findings", json::array()}}},
                {"benchmark",
                 {{"id", "xccdf_org.ssgproject.content_benchmark_BENCH"},
                  {"version", "0.1.70"},
                  {"title", "Generated benchmark"},
                  {"xccdf_version", "1.2"},
                  {"source", "ssg-bench-ds.xml"},
                  {"sha256", std::string(64, 'b')},
                  {"datastream_id", "ds"},
                  {"scap_version", "1.3"},
                  {"xccdf_component_ref", "x"}}},
                {"profile",
                 {{"id", "xccdf_org.ssgproject.content_profile_cis"},
                  {"title", "CIS"},
                  {"tailoring", nullptr}}},
                {"start_time", "2026-11-26T12:00:00Z"},
                {"end_time", "2026-11-26T12:00:05Z"},
                {"summary", {{"pass", pass}, {"fail", fail}, {"total", nrules}}},
                {"scores",
                 {{{"system", "urn:xccdf:scoring:default"},
                   {"score", 100.0 * pass / nrules},
                   {"maximum", 100}},
                  {{"system", "urn:xccdf:scoring:flat"}, {"score", pass}, {"maximum", nrules}}}},
                {"values", json::object()},
                {"rules", std::move(rs)},
                {"frameworks",
                 {{{"framework", "cis-controls-v8"},
                   {"pass", cp},
                   {"fail", cf},
                   {"not_assessed", 0},
                   {"controls", cl}}}},
                {"warnings", json::array()}};
    std::ofstream(dir + "/" + name + ".json") << doc.dump(1) << '\n';
  }
  return 0;
}

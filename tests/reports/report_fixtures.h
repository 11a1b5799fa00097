// Test inputs for the reports suite, built in the test itself: results JSON in
// the documented shape (docs/results.md) and findings JSON Lines, with hostile
// text (script tags, attribute breakouts, javascript: URLs, formula cells) in
// every place the issue names. Plus: run a command, capture its output.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/finding/finding.h"

namespace vigil::test {

// Payloads: if any of them ran, body gets data-pwned and the title becomes PWNED.
inline const std::string kScriptPayload =
    "<script>document.body.setAttribute('data-pwned','1');document.title='PWNED'</script>";
inline const std::string kImgPayload =
    "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">";
inline const std::string kJsUrlPayload = "javascript:document.body.setAttribute('data-pwned','1')";

inline std::string tmp_dir(const std::string& name) {
  auto dir = std::filesystem::path(VIGIL_TEST_TMP) / "reports" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct Run {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline Run run(const std::string& cmd) {
  Run r;
  std::FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int st = ::pclose(p);
  r.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline Run vigil(const std::string& args) {
  return run(quote(VIGIL_BIN) + " " + args);
}

// One rule as the mapper writes it.
inline nlohmann::json rule(const std::string& id, const std::string& title,
                           const std::string& result, const std::string& severity,
                           nlohmann::json evidence = nlohmann::json::array()) {
  return {
      {"id", id},
      {"title", title},
      {"result", result},
      {"message", result == "notchecked" ? "no check" : ""},
      {"severity", severity},
      {"weight", 1.0},
      {"role", "full"},
      {"group_path",
       {{{"id", "g_services"}, {"title", "Services"}}, {{"id", "g_ssh"}, {"title", "SSH Server"}}}},
      {"references",
       {{{"href", "https://www.cisecurity.org/controls/v8"},
         {"text", "4.1"},
         {"framework", "cis-controls-v8"}},
        {{"href", "https://docs-prv.pcisecuritystandards.org/PCI DSS/Standard/PCI-DSS-v4_0.pdf"},
         {"text", "2.2.1"},
         {"framework", "pci-dss-4.0"}}}},
      {"idents", {{{"system", "https://ncp.nist.gov/cce"}, {"value", "CCE-80000-1"}}}},
      {"description", "Description of " + title},
      {"rationale", "Rationale of " + title},
      {"warnings", nlohmann::json::array()},
      {"fixtext", {"Set it right."}},
      {"fixes", nlohmann::json::array()},
      {"check", nullptr},
      {"evidence", std::move(evidence)}};
}

// A results document for host `name` at `start` with the given rules.
inline nlohmann::json results(const std::string& name, const std::string& start,
                              nlohmann::json rules, double score = 50) {
  nlohmann::json summary = {{"pass", 0}, {"fail", 0}, {"total", rules.size()}};
  nlohmann::json pass_ids = nlohmann::json::array(), fail_ids = nlohmann::json::array();
  for (const auto& r : rules) (r["result"] == "pass" ? pass_ids : fail_ids).push_back(r["id"]);
  using nlohmann::json;
  json cis_control = {
      {"id", "4.1"}, {"status", "fail"}, {"pass", pass_ids.size()}, {"fail", fail_ids.size()},
      {"other", 0},  {"rules", pass_ids}};
  json pci_control = {{"id", "2.2.1"}, {"status", "pass"}, {"pass", 1},
                      {"fail", 0},     {"other", 0},       {"rules", pass_ids}};
  json frameworks = json::array();
  frameworks.push_back({{"framework", "cis-controls-v8"},
                        {"pass", 0},
                        {"fail", 1},
                        {"not_assessed", 0},
                        {"controls", json::array({cis_control})}});
  frameworks.push_back({{"framework", "pci-dss-4.0"},
                        {"pass", 1},
                        {"fail", 0},
                        {"not_assessed", 0},
                        {"controls", json::array({pci_control})}});
  json host = {{"name", name},
               {"all_assets", false},
               {"hostnames", json::array({name})},
               {"host_ids", json::array()},
               {"ips", json::array({"10.0.0.5"})},
               {"macs", json::array({"00:11:22:33:44:55"})}};
  json bench = {{"id", "xccdf_test_benchmark_demo"},
                {"version", "1.0"},
                {"title", "Demo benchmark"},
                {"xccdf_version", "1.2"},
                {"source", "demo-ds.xml"},
                {"sha256", std::string(64, 'a')},
                {"datastream_id", ""},
                {"scap_version", ""},
                {"xccdf_component_ref", ""}};
  json profile = {
      {"id", "xccdf_test_profile_demo"}, {"title", "Demo profile"}, {"tailoring", nullptr}};
  json sc = {{"system", "urn:xccdf:scoring:default"}, {"score", score}, {"maximum", 100}};
  json doc = json::object();
  doc["format"] = "vigil-xccdf-results";
  doc["format_version"] = 1;
  doc["generator"] = {{"name", "vigil"}, {"version", "0.1.0"}};
  doc["test_result_id"] = "xccdf_io.vigil_testresult_default_profile";
  doc["host"] = host;
  doc["target"] = {{"root", "/"}, {"facts", nullptr}, {"findings", json::array()}};
  doc["benchmark"] = bench;
  doc["profile"] = profile;
  doc["start_time"] = start;
  doc["end_time"] = start;
  doc["summary"] = summary;
  doc["scores"] = json::array({sc});
  doc["values"] = json::object();
  doc["rules"] = std::move(rules);
  doc["frameworks"] = frameworks;
  doc["warnings"] = json::array();
  return doc;
}

// OVAL evidence naming a file path and line.
inline nlohmann::json oval_file_evidence(const std::string& path) {
  return {{{"kind", "oval"},
           {"definition", "oval:test:def:1"},
           {"result", "false"},
           {"tests",
            {{{"test", "oval:test:tst:1"},
              {"type", "textfilecontent54_test"},
              {"comment", "root login"},
              {"object", "oval:test:obj:1"},
              {"result", "false"},
              {"flag", "complete"},
              {"items",
               {{{"type", "textfilecontent_item"},
                 {"status", "exists"},
                 {"result", "false"},
                 {"fields", {{"text", "PermitRootLogin yes"}}},
                 {"file", path},
                 {"line", 12}}}},
              {"items_omitted", 0},
              {"messages", nlohmann::json::array()}}}}}};
}

inline core::Finding finding(const std::string& hostname, const std::string& http_host,
                             core::Severity sev, const std::string& type) {
  core::Finding f;
  f.tenant = "acme";
  f.asset.ip = "10.0.0.9";
  f.asset.hostname = hostname;
  f.source = core::Source::sensor;
  f.type = type;
  f.severity = sev;
  f.title = "Cleartext HTTP to " + http_host;
  f.description = "HTTP without TLS";
  f.evidence = {{"http_host", http_host}, {"community_id", "1:abc="}, {"path", "/login"}};
  f.fingerprint_fields = {"http_host"};
  f.first_seen = 1764158400000000;
  f.last_seen = 1764162000000000;
  f.count = 3;
  f.id = core::fingerprint(f);
  return f;
}

inline void write_findings(const std::string& path, const std::vector<core::Finding>& fs) {
  std::ofstream out(path, std::ios::binary);
  for (const auto& f : fs) out << core::to_json(f).dump() << "\n";
}

// Results with every payload: in the hostname, a rule title, a file path and
// (via findings) an HTTP Host; a reference href with javascript:.
inline std::string write_hostile_inputs(const std::string& dir) {
  auto rules = nlohmann::json::array();
  rules.push_back(rule("xccdf_test_rule_script", "Title " + kScriptPayload, "fail", "high",
                       oval_file_evidence("/etc/" + kImgPayload + "/sshd_config")));
  rules.push_back(rule("xccdf_test_rule_img", "Title " + kImgPayload, "fail", "medium",
                       oval_file_evidence("/etc/" + kScriptPayload)));
  auto r3 = rule("xccdf_test_rule_js", "Title js", "error", "low");
  r3["references"].push_back({{"href", kJsUrlPayload}, {"text", "click me"}});
  rules.push_back(r3);
  write_text(dir + "/hostile.json", results("host" + kScriptPayload + kImgPayload + kJsUrlPayload,
                                            "2026-11-26T12:00:00Z", rules)
                                        .dump());
  write_findings(
      dir + "/hostile.jsonl",
      {finding("web" + kImgPayload, kScriptPayload, core::Severity::high, "net.http.cleartext"),
       finding("db", "evil.example" + kImgPayload, core::Severity::medium, "net.http.cleartext")});
  return dir + "/hostile.json";
}

}  // namespace vigil::test

// urn:vigil:check:findings: the network baseline scored from hand-made sensor/scanner
// finding files (the sensor detections follow the same contract, docs/findings-check.md).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "compliance/checks/asset_identity.h"
#include "compliance/checks/findings_check.h"
#include "compliance/results/session.h"

namespace {

namespace vc = vigil::compliance;
namespace fs = std::filesystem;

const std::string kBaseline = (fs::path(__FILE__).parent_path().parent_path().parent_path() /
                               "benchmarks/network-baseline.xml")
                                  .string();
const std::string kRule = "xccdf_io.vigil_rule_";

std::string findings_file() {
  const std::string d = std::string(VIGIL_TEST_TMP) + "/compliance-findings";
  fs::create_directories(d);
  const std::string p = d + "/capture.jsonl";
  std::ofstream out(p);
  // web1 (10.0.0.5): FTP login in cleartext and a self-signed certificate (sensor).
  out << R"({"tenant":"t1","asset":{"ip":"10.0.0.5","mac":"00:11:22:33:44:55"},"source":"sensor","type":"net.auth.cleartext.ftp","severity":"high","title":"FTP login","evidence":{"user":"bob","port":21}})"
         "\n";
  out << R"({"tenant":"t1","asset":{"ip":"10.0.0.5"},"source":"sensor","type":"net.tls.cert.self_signed","severity":"medium","title":"self-signed","evidence":{"port":443}})"
         "\n";
  // An info-level TLS finding below the rules' min-severity (low): ignored.
  out << R"({"tenant":"t1","asset":{"ip":"10.0.0.5"},"source":"sensor","type":"net.tls.legacy_version","severity":"info","title":"TLS 1.0 offered","evidence":{}})"
         "\n";
  // The sensor saw both hosts.
  out << R"({"tenant":"t1","asset":{"ip":"10.0.0.5"},"source":"sensor","type":"asset.observed","severity":"info","title":"seen","evidence":{}})"
         "\n";
  out << R"({"tenant":"t1","asset":{"ip":"10.0.0.6"},"source":"sensor","type":"asset.observed","severity":"info","title":"seen","evidence":{}})"
         "\n";
  // A scanner finding names web1 by hostname and lists its address: ties hostname to IP.
  out << R"({"tenant":"t1","asset":{"hostname":"web1.corp.example","host_id":"hid-1","ip":"10.0.0.5"},"source":"scanner","type":"host.pkg.outdated","severity":"low","title":"x","evidence":{}})"
         "\n";
  // A resolved finding does not fail a rule.
  out << R"({"tenant":"t1","asset":{"ip":"10.0.0.6"},"source":"sensor","type":"net.proto.insecure.telnet","severity":"high","title":"telnet","status":"resolved","evidence":{}})"
         "\n";
  return p;
}

std::map<std::string, vc::RuleOutcome> eval(const std::string& host) {
  vc::EvalOptions o;
  o.benchmark = kBaseline;
  o.profile = "baseline";
  o.findings = {findings_file()};
  o.host = host;
  auto s = vc::run_eval(o);
  REQUIRE(s.ok());
  std::map<std::string, vc::RuleOutcome> m;
  for (const auto& r : (*s)->result.rules) m[r.rule_id.substr(kRule.size())] = r;
  return m;
}

}  // namespace

TEST_CASE("findings check: a host with findings fails exactly the matching rules", "[findings]") {
  auto m = eval("web1");  // short name, matched to web1.corp.example through the scanner
  REQUIRE(m.size() == 20);
  CHECK(m["no_cleartext_ftp_auth"].result == vc::RuleResult::kFail);
  CHECK(m["cert_not_self_signed"].result == vc::RuleResult::kFail);
  CHECK(m["tls_no_legacy_versions"].result == vc::RuleResult::kPass);  // info < low
  CHECK(m["no_telnet_service"].result == vc::RuleResult::kPass);
  int fails = 0;
  for (const auto& [id, r] : m) fails += r.result == vc::RuleResult::kFail;
  CHECK(fails == 2);
  // The evidence is the finding itself.
  const auto& ev = m["no_cleartext_ftp_auth"].evidence;
  REQUIRE(ev.size() == 1);
  CHECK(ev[0]["type"] == "net.auth.cleartext.ftp");
  CHECK(ev[0]["evidence"]["user"] == "bob");
  CHECK(ev[0]["id"].get<std::string>().size() == 64);
}

TEST_CASE("findings check: observed and clean passes, unobserved is notchecked", "[findings]") {
  auto clean = eval("10.0.0.6");
  for (const auto& [id, r] : clean) {
    INFO(id);
    CHECK(r.result == vc::RuleResult::kPass);  // resolved telnet finding ignored
  }
  auto unseen = eval("10.0.0.99");
  for (const auto& [id, r] : unseen) {
    INFO(id);
    CHECK(r.result == vc::RuleResult::kNotChecked);
    CHECK(r.message.find("cannot tell absence from not looking") != std::string::npos);
  }
  // By MAC, written differently: still web1.
  auto by_mac = eval("00-11-22-33-44-55");
  CHECK(by_mac["no_cleartext_ftp_auth"].result == vc::RuleResult::kFail);
  // No --host: the network as a whole.
  auto all = eval("");
  CHECK(all["no_cleartext_ftp_auth"].result == vc::RuleResult::kFail);
  CHECK(all["no_dns_tunneling"].result == vc::RuleResult::kPass);
}

TEST_CASE("findings check: no finding files means notchecked, never pass", "[findings]") {
  vc::EvalOptions o;
  o.benchmark = kBaseline;
  auto s = vc::run_eval(o);
  REQUIRE(s.ok());
  REQUIRE((*s)->result.rules.size() == 20);
  for (const auto& r : (*s)->result.rules) CHECK(r.result == vc::RuleResult::kNotChecked);
  CHECK((*s)->result.scores[0].score == 0);
}

TEST_CASE("asset identity: one rule across sensor and scanner names", "[findings]") {
  auto h = vc::HostIdentity::parse("web1");
  REQUIRE(h.ok());
  vigil::core::Asset a;
  a.hostname = "WEB1.corp.example.";
  CHECK(h->matches(a));
  a.hostname = "web10.corp.example";
  CHECK_FALSE(h->matches(a));
  auto ip = vc::HostIdentity::parse("10.0.0.5,AA:BB:CC:DD:EE:FF");
  REQUIRE(ip.ok());
  vigil::core::Asset b;
  b.mac = "aabb.ccdd.eeff";
  CHECK(ip->matches(b));
  b = {};
  b.ip = "10.0.0.5";
  CHECK(ip->matches(b));
  CHECK_FALSE(vc::HostIdentity::parse("bad host!").ok());
  CHECK(vc::type_matches("net.scan.tcp_syn", "net.scan."));
  CHECK(vc::type_matches("net.scan.tcp_syn", "net.scan"));
  CHECK_FALSE(vc::type_matches("net.scanner", "net.scan"));
  auto q = vc::parse_findings_query("<findings type='net.tls.' min-severity='urgent'/>", "x");
  REQUIRE_FALSE(q.ok());
  CHECK(q.error().what.find("urgent") != std::string::npos);
}

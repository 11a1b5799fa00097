// Detections on every capture of the corpus: the findings are exactly what the
// manifest's ground truth says (type, asset, proving evidence), passwords never
// appear, --threads 2 gives the same ids, and the file imports into the store.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>

#include "tests/sensor/detect_test_util.h"

using namespace vigil::sensor::test;
using nlohmann::json;

namespace {

const std::string kYara = std::string(VIGIL_TEST_DATA) + "/yara";

struct Expect {
  std::string type, asset;
  json evidence;  // fields that must be equal in the finding's evidence
};

// Ground truth of MANIFEST.tsv, as findings (severity >= low; asset.observed apart).
const std::map<std::string, std::vector<Expect>>& expectations() {
  static const std::map<std::string, std::vector<Expect>> m = {
      {"https_tls13.pcap", {}},
      {"ssh_session.pcap", {}},
      {"ipv6_http.pcap", {}},
      {"vlan_frag.pcap", {}},
      {"https_tls12_weak.pcap",
       {{"net.tls.no_forward_secrecy",
         "10.99.0.1",
         {{"cipher_suite", "TLS_RSA_WITH_AES_128_CBC_SHA"},
          {"port", 8443},
          {"sni", "shop.example.test"}}}}},
      {"tls10_expired.pcap",
       {{"net.tls.legacy_version", "10.99.0.1", {{"version", "TLS 1.0"}, {"port", 4433}}},
        {"net.tls.cert.expired",
         "10.99.0.1",
         {{"not_after", "2021-01-01T00:00:00Z"}, {"serial", "1001"}}},
        {"net.tls.cert.self_signed", "10.99.0.1", {{"sni", "legacy.example.test"}}}}},
      {"ftp_login.pcap",
       {{"net.auth.cleartext.ftp",
         "10.99.0.1",
         {{"user", "alice"}, {"port", 21}, {"password_present", true}, {"login_succeeded", true}}},
        {"net.proto.insecure.ftp", "10.99.0.1", {{"port", 21}}}}},
      {"telnet_login.pcap",
       {{"net.auth.cleartext.telnet", "10.99.0.1", {{"user", "bob"}, {"port", 23}}},
        {"net.proto.insecure.telnet", "10.99.0.1", {{"port", 23}}}}},
      {"http_basic_auth.pcap",
       {{"net.auth.cleartext.http_basic", "10.99.0.1", {{"user", "carol"}, {"port", 80}}},
        {"net.malware.yara",
         "10.99.0.2",
         {{"rule", "EICAR_Test_File"}, {"namespace", "eicar"}, {"sender", "10.99.0.1"}}}}},
      {"smtp_plain.pcap",
       {{"net.auth.cleartext.smtp",
         "10.99.0.1",
         {{"user", "erin"}, {"mechanism", "PLAIN"}, {"port", 25}}}}},
      {"dns_mix.pcap",
       {{"net.dns.tunneling", "10.99.0.2", {{"domain", "exfil.test"}}},
        {"net.dns.nxdomain_storm", "10.99.0.2", {}}}},
      {"portscan.pcap",
       {{"net.scan.tcp_syn",
         "10.99.0.2",
         {{"scanner", "10.99.0.2"}, {"target_hosts", {"10.99.0.1"}}}},
        {"net.scan.tcp_connect", "10.99.0.2", {{"scanner", "10.99.0.2"}}}}},
  };
  return m;
}

std::vector<std::string> manifest_files() {
  std::vector<std::string> out;
  std::ifstream in(std::string(VIGIL_CORPUS_DIR) + "/MANIFEST.tsv");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line.starts_with("file\t")) continue;
    out.push_back(line.substr(0, line.find('\t')));
  }
  return out;
}

const char* kSecrets[] = {"S3cretFtp!",
                          "T3lnet-Pw9",
                          "Carol-Pw-42",
                          "wrong-password",
                          "SmtpPl4in!",
                          "Y2Fyb2w6Q2Fyb2wtUHctNDI=",
                          "AGVyaW4AU210cFBsNGluIQ=="};

}  // namespace

TEST_CASE("detect: every corpus capture gives exactly its ground-truth findings", "[detect]") {
  auto files = manifest_files();
  REQUIRE(files.size() >= 12);
  for (const std::string& file : files) {
    INFO("capture " << file);
    auto exp = expectations().find(file);
    REQUIRE(exp != expectations().end());  // a new capture needs its ground truth here
    auto r = detect(std::string(VIGIL_CORPUS_DIR) + "/" + file, file, "--yara '" + kYara + "'");
    REQUIRE(r.rc == 0);

    std::multiset<std::pair<std::string, std::string>> got, want;
    bool observed = false;
    for (const json& f : r.findings) {
      INFO(f.dump());
      CHECK(f["source"] == "sensor");
      CHECK(f["tenant"] == "acme");
      CHECK(f["id"].get<std::string>().size() == 64);
      CHECK(!f["references"].empty());
      if (f["type"] == "asset.observed") {
        observed = true;
        CHECK(f["severity"] == "info");
        CHECK(f["evidence"]["covers"].is_array());
        continue;
      }
      got.insert({f["type"].get<std::string>(), f["asset"]["ip"].get<std::string>()});
    }
    CHECK(observed);
    for (const Expect& e : exp->second) want.insert({e.type, e.asset});
    CHECK(got == want);

    for (const Expect& e : exp->second) {
      auto it = std::find_if(r.findings.begin(), r.findings.end(), [&](const json& f) {
        return f["type"] == e.type && f["asset"]["ip"] == e.asset;
      });
      if (it == r.findings.end()) continue;  // reported by the set comparison
      INFO(it->dump());
      for (auto& [k, v] : e.evidence.items()) CHECK((*it)["evidence"][k] == v);
      // Proof points to the flows (except aggregate DNS storms).
      if (e.type != "net.dns.nxdomain_storm") CHECK(!(*it)["evidence"]["flows"].empty());
    }

    std::string text = slurp(r.out);
    for (const char* s : kSecrets) CHECK(text.find(s) == std::string::npos);
  }
}

TEST_CASE("detect: one finding per problem, counted across flows", "[detect]") {
  auto r = detect(std::string(VIGIL_CORPUS_DIR) + "/http_basic_auth.pcap", "count",
                  "--yara '" + kYara + "'");
  REQUIRE(r.rc == 0);
  int basic = 0;
  for (const json& f : r.findings) {
    if (f["type"] != "net.auth.cleartext.http_basic") continue;
    ++basic;
    CHECK(f["count"] == 2);  // wrong password, then the right one: two flows, one finding
    CHECK(f["evidence"]["flows"].size() == 2);
    CHECK(f["first_seen"] < f["last_seen"]);
  }
  CHECK(basic == 1);
  auto scan = detect(std::string(VIGIL_CORPUS_DIR) + "/portscan.pcap", "scan-count");
  for (const json& f : scan.findings) {
    if (f["type"] != "net.scan.tcp_syn") continue;
    // nmap -sS 1-1000: every port probed (retries included in the count).
    CHECK(f["evidence"]["distinct_ports"].get<int>() >= 990);
    CHECK(f["count"].get<int>() >= 990);
    CHECK(f["evidence"]["port_ranges"].get<std::string>().starts_with("1-"));
  }
}

TEST_CASE("detect: --threads 2 gives the same findings as 1", "[detect]") {
  for (const char* file :
       {"portscan.pcap", "dns_mix.pcap", "http_basic_auth.pcap", "ftp_login.pcap"}) {
    INFO(file);
    std::string pcap = std::string(VIGIL_CORPUS_DIR) + "/" + file;
    auto one = detect(pcap, std::string("t1-") + file, "--yara '" + kYara + "'");
    auto two = detect(pcap, std::string("t2-") + file, "--threads 2 --yara '" + kYara + "'");
    REQUIRE(one.rc == 0);
    REQUIRE(two.rc == 0);
    REQUIRE(!one.findings.empty());
    CHECK(slurp(one.out) == slurp(two.out));
  }
}

TEST_CASE("detect: findings import into the store with the run's tenant", "[detect]") {
  auto r = detect(std::string(VIGIL_CORPUS_DIR) + "/ftp_login.pcap", "import");
  REQUIRE(r.rc == 0);
  std::string db = detect_tmp() + "/import.db";
  std::filesystem::remove(db);
  REQUIRE(run_cmd(std::string(VIGIL_BIN) + " --quiet findings import '" + r.out +
                  "' --tenant acme --db '" + db + "'") == 0);
  std::string list = detect_tmp() + "/import.list.json";
  REQUIRE(run_cmd(std::string(VIGIL_BIN) + " findings list --tenant acme --format json --db '" +
                  db + "' > '" + list + "'") == 0);
  std::string text = slurp(list);
  for (const json& f : r.findings)
    CHECK(text.find(f["id"].get<std::string>()) != std::string::npos);
  // Another tenant's import of the same file is refused (tenant mismatch).
  CHECK(run_cmd(std::string(VIGIL_BIN) + " --quiet findings import '" + r.out +
                "' --tenant other --db '" + db + "' 2>/dev/null") != 0);
}

TEST_CASE("detect: config allowlist, disabled detectors, YARA compile errors", "[detect]") {
  std::string dir = detect_tmp();
  std::string pcap = std::string(VIGIL_CORPUS_DIR) + "/portscan.pcap";
  std::string cfg = dir + "/allow.json";
  std::ofstream(cfg) << R"({"detect": {"allow": [{"tenant": "acme", "ip": "10.99.0.0/24",
      "types": ["net.scan.tcp_syn"], "reason": "authorised nmap host"}]}})";
  auto r = detect(pcap, "allow", "--config '" + cfg + "'");
  REQUIRE(r.rc == 0);
  std::set<std::string> types;
  for (const json& f : r.findings) types.insert(f["type"]);
  CHECK(!types.count("net.scan.tcp_syn"));
  CHECK(types.count("net.scan.tcp_connect"));
  CHECK(json::parse(slurp(r.stats))["detect"]["findings_allowlisted"] == 1);

  std::ofstream(dir + "/off.json") << R"({"detect": {"disable": ["scan"]}})";
  auto off = detect(pcap, "off", "--config '" + dir + "/off.json'");
  for (const json& f : off.findings) CHECK(!f["type"].get<std::string>().starts_with("net.scan"));

  std::ofstream(dir + "/bad.json") << R"({"detect": {"scan": {"windw": 5}}})";
  CHECK(detect(pcap, "bad", "--config '" + dir + "/bad.json'").rc == 1);
  CHECK(slurp(dir + "/bad.stderr").find("detect.scan: unknown key 'windw'") != std::string::npos);

  std::ofstream(dir + "/broken.yar")
      << "rule ok { condition: true }\nrule broken {\n  strings: $a = \"x\"\n  condition: $b\n}\n";
  auto y = detect(pcap, "broken", "--yara '" + dir + "/broken.yar'");
  CHECK(y.rc == 1);
  // libyara (and the yara CLI: "broken.yar(5): undefined string") names the line
  // where the rule ends, not the condition line.
  CHECK(slurp(dir + "/broken.stderr").find("broken.yar:5: undefined string") != std::string::npos);
}

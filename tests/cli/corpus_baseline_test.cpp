// End to end, issue 6: the sensor's findings on each real corpus capture scored
// against benchmarks/network-baseline.xml. The failing rules must be exactly the
// ones the capture's ground truth (corpus MANIFEST.tsv) implies, each failure
// backed by findings from the capture, and captures with nothing wrong pass.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/support/tmpdir.h"

using vigil::test::run;
using vigil::test::sh_quote;
using vigil::test::TempDir;
using vigil::test::write_file;

namespace {

const std::string kVigil = VIGIL_BIN;
const std::string kCorpus = VIGIL_CORPUS_DIR;
const std::string kBaseline = std::string(VIGIL_SOURCE_DIR) + "/benchmarks/network-baseline.xml";
const std::string kPrefix = "xccdf_io.vigil_rule_";

// The EICAR test file's signature, as the yara documentation writes it.
const char* kEicarRule = R"(rule eicar_test_file {
  meta:
    description = "EICAR anti-malware test file"
  strings:
    $s = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
  condition:
    $s
}
)";

// Ground truth per capture (MANIFEST.tsv "what happened" / "ground truth"),
// translated into the baseline rules it violates.
const std::map<std::string, std::set<std::string>> kExpected = {
    {"https_tls13.pcap", {}},
    {"ssh_session.pcap", {}},
    {"ipv6_http.pcap", {}},
    {"vlan_frag.pcap", {}},
    // TLS 1.2 with TLS_RSA_WITH_AES_128_CBC_SHA: RSA key exchange, no forward secrecy.
    {"https_tls12_weak.pcap", {"tls_forward_secrecy"}},
    // TLS 1.0 and an expired self-signed certificate.
    {"tls10_expired.pcap", {"tls_no_legacy_versions", "cert_not_expired", "cert_not_self_signed"}},
    {"ftp_login.pcap", {"no_cleartext_ftp_auth", "no_ftp_service"}},
    {"telnet_login.pcap", {"no_cleartext_telnet_auth", "no_telnet_service"}},
    // Basic auth over plain HTTP and the EICAR download.
    {"http_basic_auth.pcap", {"no_cleartext_http_basic", "no_malware_transfer"}},
    {"smtp_plain.pcap", {"no_cleartext_smtp_auth"}},
    {"dns_mix.pcap", {"no_dns_tunneling", "no_nxdomain_storm"}},
    {"portscan.pcap", {"no_port_scans"}},
};

nlohmann::json load_json(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

std::set<std::string> finding_ids(const std::string& path) {
  std::set<std::string> ids;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) ids.insert(nlohmann::json::parse(line).value("id", ""));
  return ids;
}

}  // namespace

TEST_CASE("corpus captures scored against the network baseline fail exactly the expected rules",
          "[cli][corpus][e2e]") {
  TempDir dir("corpus-baseline");
  const std::string rules = dir.str("eicar.yar");
  write_file(rules, kEicarRule);

  for (const auto& [capture, expected] : kExpected) {
    DYNAMIC_SECTION(capture) {
      const std::string findings = dir.str(capture + ".findings.jsonl");
      const std::string results = dir.str(capture + ".results.json");
      auto sensor = run(kVigil + " sensor -r " + sh_quote(kCorpus + "/" + capture) +
                        " --tenant acme --events /dev/null --findings " + sh_quote(findings) +
                        " --yara " + sh_quote(rules));
      INFO(sensor.err);
      REQUIRE(sensor.exit_code == 0);

      // No --host: a network-wide verdict over every asset the capture shows.
      auto eval = run(kVigil + " eval --quiet --benchmark " + sh_quote(kBaseline) +
                      " --profile baseline --findings " + sh_quote(findings) + " --results " +
                      sh_quote(results));
      INFO(eval.out << eval.err);
      REQUIRE((eval.exit_code == 0 || eval.exit_code == 2));
      CHECK(eval.exit_code == (expected.empty() ? 0 : 2));

      const auto ids = finding_ids(findings);
      std::set<std::string> failed;
      std::size_t passed = 0;
      const nlohmann::json doc = load_json(results);  // outlives the loop below
      for (const auto& r : doc["rules"]) {
        const std::string id = r["id"].get<std::string>().substr(kPrefix.size());
        const std::string result = r["result"];
        if (result == "pass") ++passed;
        if (result != "fail") continue;
        failed.insert(id);
        // Every failure is backed by findings of this capture.
        bool backed = false;
        for (const auto& ev : r["evidence"])
          if (ev.value("kind", "") == "finding" && ids.count(ev.value("id", ""))) backed = true;
        CHECK(backed);
      }
      CHECK(failed == expected);
      // The sensor saw the hosts (asset.observed), so the other rules are
      // pass, not notchecked.
      CHECK(passed > 0);
    }
  }
}

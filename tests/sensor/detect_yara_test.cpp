// YARA inspection limits on real captures: the EICAR download is found at the
// default --yara-depth and not when the depth stops before the body; TLS
// handshakes are scanned but the ciphertext after them is not.
#include <catch2/catch.hpp>
#include <fstream>

#include "tests/sensor/detect_test_util.h"

using namespace vigil::sensor::test;
using nlohmann::json;

namespace {

int count_rule(const DetectRun& r, const std::string& rule) {
  int n = 0;
  for (const json& f : r.findings)
    if (f["type"] == "net.malware.yara" && f["evidence"]["rule"] == rule) ++n;
  return n;
}

}  // namespace

TEST_CASE("yara: the EICAR body is found at the default depth, not beyond --yara-depth",
          "[detect][yara]") {
  const std::string pcap = std::string(VIGIL_CORPUS_DIR) + "/http_basic_auth.pcap";
  const std::string rules = " --yara '" + std::string(VIGIL_TEST_DATA) + "/yara'";
  auto def = detect(pcap, "yara-depth-default", rules);
  REQUIRE(def.rc == 0);
  CHECK(count_rule(def, "EICAR_Test_File") == 1);
  // 16 bytes of each direction and body: the 68-byte EICAR string never fits.
  auto shallow = detect(pcap, "yara-depth-16", rules + " --yara-depth 16");
  REQUIRE(shallow.rc == 0);
  CHECK(count_rule(shallow, "EICAR_Test_File") == 0);
  auto stats = json::parse(slurp(shallow.stats));
  CHECK(stats["detect"]["detectors"]["yara"]["scans"].get<int>() > 0);

  CHECK(detect(pcap, "yara-depth-bad", rules + " --yara-depth lots").rc == 1);
  CHECK(detect(pcap, "yara-depth-zero", rules + " --yara-depth 0").rc == 1);
}

TEST_CASE("yara: TLS handshakes are scanned, the ciphertext after them is not", "[detect][yara]") {
  const std::string dir = detect_tmp() + "/tls-rules";
  std::filesystem::create_directories(dir);
  // The SNI is in the ClientHello; 17 03 03 is the header of every TLS 1.2
  // application_data record (both directions carry one in this capture).
  std::ofstream(dir + "/tls.yar") << R"(rule tls_sni { strings: $a = "shop.example.test"
  condition: $a }
rule tls_appdata_record { strings: $a = { 17 03 03 } condition: $a }
)";
  auto r = detect(std::string(VIGIL_CORPUS_DIR) + "/https_tls12_weak.pcap", "yara-tls",
                  "--yara '" + dir + "'");
  REQUIRE(r.rc == 0);
  CHECK(count_rule(r, "tls_sni") == 1);
  CHECK(count_rule(r, "tls_appdata_record") == 0);
  auto stats = json::parse(slurp(r.stats));
  CHECK(stats["detect"]["detectors"]["yara"]["directions_tls_encrypted"] == 2);
}

TEST_CASE("yara: data without a string hit is judged clean without its own scan, same findings",
          "[detect][yara]") {
  // Every rule here needs one of its strings, so the sensor checks each flow's
  // stream data for string hits in one libyara call and scans only what hit.
  // One more rule whose condition needs no string (and never holds) switches
  // that off: the findings must be identical either way.
  const std::string gated = detect_tmp() + "/gate-on", plain = detect_tmp() + "/gate-off";
  for (const std::string& dir : {gated, plain}) {
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(std::string(VIGIL_TEST_DATA) + "/yara/eicar.yar", dir + "/eicar.yar",
                               std::filesystem::copy_options::overwrite_existing);
    std::ofstream(dir + "/net.yar")
        << R"(rule request_line { strings: $a = "GET /" condition: $a at 0 }
rule user_agent { strings: $a = "user-agent:" nocase $b = "curl" condition: all of them }
rule tls_sni { strings: $a = "shop.example.test" condition: $a }
rule status_ok { strings: $a = /HTTP\/1\.[01] 200/ condition: any of them }
rule dns_name { strings: $a = "example" wide ascii condition: #a > 0 and $a }
)";
  }
  std::ofstream(plain + "/off.yar")
      << "rule needs_no_string { condition: filesize == 0xfffffff }\n";
  int checks = 0;
  for (const char* cap : {"http_basic_auth.pcap", "https_tls12_weak.pcap", "ipv6_http.pcap",
                          "vlan_frag.pcap", "ftp_login.pcap", "smtp_plain.pcap"}) {
    INFO(cap);
    const std::string pcap = std::string(VIGIL_CORPUS_DIR) + "/" + cap;
    auto a = detect(pcap, std::string("gate-on-") + cap, "--yara '" + gated + "'");
    auto b = detect(pcap, std::string("gate-off-") + cap, "--yara '" + plain + "' --threads 2");
    REQUIRE(a.rc == 0);
    REQUIRE(b.rc == 0);
    CHECK(slurp(a.out) == slurp(b.out));
    auto sa = json::parse(slurp(a.stats))["detect"]["detectors"]["yara"];
    auto sb = json::parse(slurp(b.stats))["detect"]["detectors"]["yara"];
    checks += sa["string_hit_checks"].get<int>();
    CHECK(sb["string_hit_checks"] == 0);
  }
  CHECK(checks > 0);
  auto eicar = detect(std::string(VIGIL_CORPUS_DIR) + "/http_basic_auth.pcap", "gate-eicar",
                      "--yara '" + gated + "'");
  CHECK(count_rule(eicar, "EICAR_Test_File") == 1);
  CHECK(count_rule(eicar, "request_line") == 1);
  CHECK(count_rule(eicar, "status_ok") == 1);
}

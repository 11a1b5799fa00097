// The sensor against tshark on every capture of the real corpus: flows
// (5-tuples and count), DNS names, HTTP hosts/URIs/status, TLS SNI, version,
// cipher, certificate names and validity, SSH banners; plus the JA3/JA3S
// values the corpus manifest recorded.
#include <algorithm>
#include <catch2/catch.hpp>

#include "sensor_test_util.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {

// "addr:port" from tshark's conversation table (IPv6 addresses contain ':').
std::pair<std::string, std::string> endpoint(const std::string& tok) {
  auto c = tok.rfind(':');
  return {tok.substr(0, c), tok.substr(c + 1)};
}

std::string pair_key(const std::string& proto, std::string a, std::string b) {
  if (b < a) std::swap(a, b);
  return proto + " " + a + " " + b;
}

std::multiset<std::string> tshark_conversations(const std::string& file) {
  std::multiset<std::string> out;
  std::string proto;
  for (const auto& line :
       lines_of("tshark -n -r '" + file + "' -q -z conv,tcp -z conv,udp 2>/dev/null")) {
    if (line.starts_with("TCP Conversations")) proto = "TCP";
    if (line.starts_with("UDP Conversations")) proto = "UDP";
    auto arrow = line.find("<->");
    if (arrow == std::string::npos || proto.empty()) continue;
    std::string left = line.substr(0, arrow), right = line.substr(arrow + 3);
    left.erase(left.find_last_not_of(' ') + 1);
    right.erase(0, right.find_first_not_of(' '));
    right = right.substr(0, right.find(' '));
    auto [la, lp] = endpoint(left);
    auto [ra, rp] = endpoint(right);
    out.insert(pair_key(proto, la + "/" + lp, ra + "/" + rp));
  }
  return out;
}

std::multiset<std::string> our_conversations(const Run& run) {
  std::multiset<std::string> out;
  for (const auto& e : run.of_type("flow")) {
    std::string proto = e["proto"];
    if (proto != "TCP" && proto != "UDP") continue;
    out.insert(pair_key(
        proto, e["src_ip"].get<std::string>() + "/" + std::to_string(e["src_port"].get<int>()),
        e["dest_ip"].get<std::string>() + "/" + std::to_string(e["dest_port"].get<int>())));
  }
  return out;
}

std::string iso_from_tshark(std::string t) {  // "2026-11-26 11:00:19 (UTC)" -> ISO 8601
  t = t.substr(0, 19);
  t[10] = 'T';
  return t + "Z";
}

}  // namespace

TEST_CASE("corpus: every capture decodes and flows match tshark conversations",
          "[sensor][corpus][tshark]") {
  auto files = corpus_files();
  REQUIRE(files.size() >= 12);
  std::size_t total_flows = 0;
  for (const auto& name : files) {
    INFO(name);
    Run run = run_file(corpus(name));
    REQUIRE(run.ok);
    auto row = manifest()[name];
    CHECK(run.stats.counters.get(Counter::packets) == std::stoull(row["packets"]));
    auto theirs = tshark_conversations(corpus(name));
    auto ours = our_conversations(run);
    CHECK(ours.size() == theirs.size());
    CHECK(ours == theirs);
    total_flows += ours.size();
    // Every event has the common envelope.
    for (const auto& e : run.events) {
      CHECK(e.contains("timestamp"));
      CHECK(e.contains("flow_id"));
      CHECK(e["community_id"].get<std::string>().starts_with("1:"));
      CHECK(e["tenant"] == "default");
    }
  }
  CHECK(total_flows > 2000);  // portscan alone has ~2000 TCP conversations
}

TEST_CASE("corpus: DNS names match tshark", "[sensor][corpus][tshark][dns]") {
  std::string f = corpus("dns_mix.pcap");
  Run run = run_file(f);
  std::multiset<std::string> theirs, ours;
  for (const auto& l : tshark_fields(f, "dns", {"dns.qry.name"})) theirs.insert(l);
  for (const auto& e : run.of_type("dns")) ours.insert(e["dns"]["rrname"].get<std::string>());
  CHECK(theirs.size() == 182);
  CHECK(ours == theirs);
  // Ground truth: 55 NXDOMAIN answers, 50 tunnelling-like queries, TCP DNS seen.
  int nx = 0, exfil_q = 0, tcp = 0;
  for (const auto& e : run.of_type("dns")) {
    if (e["dns"].value("rcode", "") == "NXDOMAIN") ++nx;
    if (e["dns"]["type"] == "query" &&
        e["dns"]["rrname"].get<std::string>().ends_with(".t.exfil.test"))
      ++exfil_q;
    if (e["proto"] == "TCP") ++tcp;
  }
  CHECK(nx == 55);
  CHECK(exfil_q == 50);
  CHECK(tcp == 2);
  // Answers carry data: the MX and the PTR of the manifest.
  bool mx = false, ptr = false;
  for (const auto& e : run.of_type("dns"))
    for (const auto& a : e["dns"].value("answers", Json::array())) {
      if (a["rrtype"] == "MX" && a["rdata"] == "10 mail.example.test") mx = true;
      if (a["rrtype"] == "PTR" && a["rdata"] == "www.example.test") ptr = true;
    }
  CHECK(mx);
  CHECK(ptr);
}

TEST_CASE("corpus: HTTP hosts, URIs and status codes match tshark",
          "[sensor][corpus][tshark][http]") {
  for (const char* name :
       {"http_basic_auth.pcap", "ipv6_http.pcap", "vlan_frag.pcap", "portscan.pcap"}) {
    INFO(name);
    std::string f = corpus(name);
    Run run = run_file(f);
    std::multiset<std::string> theirs_req, ours_req, theirs_st, ours_st;
    for (const auto& l :
         tshark_fields(f, "http.request", {"http.host", "http.request.method", "http.request.uri"}))
      theirs_req.insert(l);
    for (const auto& l : tshark_fields(f, "http.response", {"http.response.code"}))
      theirs_st.insert(l);
    for (const auto& e : run.of_type("http")) {
      const Json& h = e["http"];
      if (h.contains("http_method"))
        ours_req.insert(h.value("hostname", "") + "|" + h.value("http_method", "") + "|" +
                        h.value("url", ""));
      if (h.contains("status")) ours_st.insert(std::to_string(h["status"].get<int>()));
    }
    CHECK(!theirs_req.empty());
    CHECK(ours_req == theirs_req);
    CHECK(ours_st == theirs_st);
  }
}

TEST_CASE("corpus: HTTP Basic auth reports the user, never the password",
          "[sensor][corpus][http]") {
  Run run = run_file(corpus("http_basic_auth.pcap"));
  int with_auth = 0;
  for (const auto& e : run.of_type("http")) {
    if (!e["http"].contains("authorization")) continue;
    ++with_auth;
    CHECK(e["http"]["authorization"]["user"] == "carol");
    CHECK(e["http"]["authorization"]["password_present"] == true);
  }
  CHECK(with_auth == 2);
  bool eicar = false;
  for (const auto& e : run.of_type("http"))
    if (e["http"]["url"] == "/files/eicar.com" && e["http"]["length"] == 68) eicar = true;
  CHECK(eicar);
}

TEST_CASE("corpus: TLS fields match tshark and the manifest's JA3/JA3S",
          "[sensor][corpus][tshark][tls]") {
  auto rows = manifest();
  for (const char* name : {"https_tls13.pcap", "https_tls12_weak.pcap", "tls10_expired.pcap"}) {
    INFO(name);
    std::string f = corpus(name);
    Run run = run_file(f);
    auto tls = run.of_type("tls");
    REQUIRE(tls.size() == 1);
    const Json& t = tls[0]["tls"];
    auto sni = tshark_fields(f, "tls.handshake.type==1", {"tls.handshake.extensions_server_name"});
    REQUIRE(sni.size() == 1);
    CHECK(t["sni"] == sni[0]);
    auto sh = tshark_fields(f, "tls.handshake.type==2",
                            {"tls.handshake.ciphersuite", "tls.handshake.version",
                             "tls.handshake.extensions.supported_version"});
    REQUIRE(sh.size() == 1);
    auto cols = split(sh[0], '|');
    CHECK(t["cipher_id"] == cols[0]);
    std::string ver = cols[2].empty() ? cols[1] : cols[2];
    std::map<std::string, std::string> names{
        {"0x0301", "TLS 1.0"}, {"0x0302", "TLS 1.1"}, {"0x0303", "TLS 1.2"}, {"0x0304", "TLS 1.3"}};
    CHECK(t["version"] == names[ver]);
    auto kv = kv_tokens(rows[name]["tshark_check"]);
    CHECK(t["ja3"]["hash"] == kv["ja3"]);
    CHECK(t["ja3s"]["hash"] == kv["ja3s"]);
    CHECK(t["ja4"].get<std::string>().size() == 36);

    auto certs = tshark_fields(f, "tls.handshake.type==11", {"x509ce.dNSName", "x509af.utcTime"});
    if (std::string(name) == "https_tls13.pcap") {
      CHECK(certs.empty());  // encrypted in TLS 1.3
      CHECK_FALSE(t.contains("certificates"));
      continue;
    }
    REQUIRE(certs.size() == 1);
    auto cc = split(certs[0], '|');
    std::vector<std::string> times;
    for (const auto& c : t["certificates"]) {
      times.push_back(c["not_before"]);
      times.push_back(c["not_after"]);
    }
    std::vector<std::string> theirs_times;
    for (const auto& x : split(cc[1], ',')) theirs_times.push_back(iso_from_tshark(x));
    CHECK(times == theirs_times);
    CHECK(t["certificates"][0]["sans"][0] == "DNS:" + cc[0]);
    // The manifest's ground truth names the leaf subject and issuer (RFC 2253).
    const std::string& gt = rows[name]["ground_truth"];
    CHECK(gt.find("subject=[" + t["subject"].get<std::string>() + "]") != std::string::npos);
    CHECK(gt.find("issuer=[" + t["issuerdn"].get<std::string>() + "]") != std::string::npos);
  }
}

TEST_CASE("corpus: certificate details from OpenSSL", "[sensor][corpus][tls]") {
  Run weak = run_file(corpus("https_tls12_weak.pcap"));
  Json t = weak.of_type("tls").at(0)["tls"];
  CHECK(t["cipher_suite"] == "TLS_RSA_WITH_AES_128_CBC_SHA");
  CHECK(t["serial"] == "7F4FBACCAF11723B48290EF3C9E918CB43AE2172");
  CHECK(t["fingerprint_sha256"] ==
        "fc2e68e667ec26a80e57e652e1a27d249ab3975d1132ff1bd46768eb26a419cb");
  CHECK(t["certificates"][0]["key_type"] == "RSA");
  CHECK(t["certificates"][0]["key_bits"] == 2048);
  CHECK(t["certificates"][0]["self_signed"] == false);
  CHECK(t["certificates"][1]["self_signed"] == true);  // the test root CA
  Run old = run_file(corpus("tls10_expired.pcap"));
  Json o = old.of_type("tls").at(0)["tls"];
  CHECK(o["version"] == "TLS 1.0");
  CHECK(o["notafter"] == "2021-01-01T00:00:00Z");
  CHECK(o["certificates"][0]["self_signed"] == true);
  CHECK(o["serial"] == "1001");
}

TEST_CASE("corpus: SSH banners match tshark", "[sensor][corpus][tshark][ssh]") {
  std::string f = corpus("ssh_session.pcap");
  Run run = run_file(f);
  auto ssh = run.of_type("ssh");
  REQUIRE(ssh.size() == 1);
  std::multiset<std::string> theirs, ours;
  for (const auto& l : tshark_fields(f, "ssh.protocol", {"ssh.protocol"})) theirs.insert(l);
  ours.insert(ssh[0]["ssh"]["client"]["banner"].get<std::string>());
  ours.insert(ssh[0]["ssh"]["server"]["banner"].get<std::string>());
  CHECK(ours == theirs);
  CHECK(ssh[0]["ssh"]["server"]["software_version"] == "OpenSSH_9.2p1");
}

TEST_CASE("corpus: FTP, telnet and SMTP logins without passwords",
          "[sensor][corpus][ftp][telnet][smtp]") {
  Run ftp = run_file(corpus("ftp_login.pcap"));
  std::multiset<std::string> ours, theirs;
  bool pass_flag = false;
  std::set<int> ports;
  for (const auto& e : ftp.of_type("ftp")) {
    ours.insert(e["ftp"]["command"].get<std::string>());
    if (e["ftp"]["command"] == "PASS") pass_flag = e["ftp"]["password_present"];
    if (e["ftp"].contains("dynamic_port")) ports.insert(e["ftp"]["dynamic_port"].get<int>());
    CHECK(e["ftp"].value("user", "alice") == "alice");
  }
  for (const auto& l :
       tshark_fields(corpus("ftp_login.pcap"), "ftp.request", {"ftp.request.command"}))
    if (!l.empty()) theirs.insert(l);
  CHECK(ours == theirs);
  CHECK(pass_flag);
  CHECK(ports.size() == 3);  // two PASV replies and one PORT

  Run tel = run_file(corpus("telnet_login.pcap"));
  auto t = tel.of_type("telnet");
  REQUIRE(t.size() == 1);
  CHECK(t[0]["telnet"]["user"] == "bob");
  CHECK(t[0]["telnet"]["password_present"] == true);

  Run smtp = run_file(corpus("smtp_plain.pcap"));
  auto s = smtp.of_type("smtp");
  REQUIRE(s.size() == 1);
  CHECK(s[0]["smtp"]["helo"] == "client.example.test");
  CHECK(s[0]["smtp"]["auth"]["mechanism"] == "PLAIN");
  CHECK(s[0]["smtp"]["auth"]["user"] == "erin");
  CHECK(s[0]["smtp"]["starttls_offered"] == false);
  CHECK(s[0]["smtp"]["mail_from_domain"] == "example.test");

  // No password of the corpus appears anywhere in any event.
  for (const auto& name : corpus_files()) {
    Run r = run_file(corpus(name));
    for (const auto& e : r.events) {
      std::string line = e.dump();
      for (const char* pw : {"S3cretFtp!", "T3lnet-Pw9", "Carol-Pw-42", "wrong-password",
                             "SmtpPl4in!", "Y2Fyb2w6Q2Fyb2wtUHctNDI=", "AGVyaW4AU210cFBsNGluIQ=="})
        CHECK(line.find(pw) == std::string::npos);
    }
  }
}

TEST_CASE("corpus: VLAN and IP fragments", "[sensor][corpus][decode]") {
  Run run = run_file(corpus("vlan_frag.pcap"));
  CHECK(run.stats.counters.get(Counter::defrag_fragments) == 9);
  CHECK(run.stats.counters.get(Counter::defrag_reassembled) == 3);
  bool udp = false;
  for (const auto& e : run.of_type("flow")) {
    CHECK(e["vlan"][0] == 100);
    if (e["proto"] == "UDP" && e["dest_port"] == 9999) {
      udp = true;
      CHECK(e["flow"]["pkts_toserver"] == 3);  // three reassembled datagrams
    }
  }
  CHECK(udp);
}

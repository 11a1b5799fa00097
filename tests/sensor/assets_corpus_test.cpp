// Passive asset inventory on the real corpus captures: what MANIFEST.tsv says
// about the hosts (services, banners, names, MACs) must come out of the
// traffic alone, and a port scan's closed ports must not become services.
#include <catch2/catch.hpp>
#include <set>

#include "sensor/assets/collector.h"
#include "sensor_test_util.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;
using vigil::core::AssetRecord;
using vigil::core::AssetService;

namespace {

std::vector<AssetRecord> inventory_of(const std::vector<std::string>& files, int threads = 1,
                                      assets::AssetLimits limits = {},
                                      assets::AssetStats* stats = nullptr) {
  assets::AssetCollector c(limits);
  for (const auto& f : files) {
    SensorConfig cfg;
    cfg.hooks = c.hooks();
    Run run = run_file(corpus(f), threads, cfg);
    REQUIRE(run.ok);
  }
  auto recs = c.records("acme", "test");
  if (stats) *stats = c.stats();
  return recs;
}

const AssetRecord* find(const std::vector<AssetRecord>& recs, const std::string& ip) {
  for (const auto& r : recs)
    if (r.ip == ip) return &r;
  return nullptr;
}

const AssetService* service(const AssetRecord& a, const std::string& transport, int port) {
  for (const auto& s : a.services)
    if (s.transport == transport && s.port == port) return &s;
  return nullptr;
}

std::set<int> ports(const AssetRecord& a, const std::string& transport) {
  std::set<int> out;
  for (const auto& s : a.services)
    if (s.transport == transport) out.insert(s.port);
  return out;
}

std::set<std::string> sources_of(const AssetRecord& a, const std::string& name) {
  for (const auto& h : a.hostnames)
    if (h.name == name) return {h.sources.begin(), h.sources.end()};
  return {};
}

const std::vector<std::string> kServerCaptures = {
    "ftp_login.pcap",   "ssh_session.pcap",      "telnet_login.pcap",
    "smtp_plain.pcap",  "dns_mix.pcap",          "http_basic_auth.pcap",
    "https_tls13.pcap", "https_tls12_weak.pcap", "tls10_expired.pcap"};

}  // namespace

TEST_CASE("corpus: the server's services, banners, names and MAC", "[sensor][assets]") {
  auto recs = inventory_of(kServerCaptures);
  const AssetRecord* srv = find(recs, "10.99.0.1");
  REQUIRE(srv);
  // Exactly the services that answered: no FTP data ports (passive 40000-40010
  // on the server, the active-mode port on the client).
  CHECK(ports(*srv, "tcp") == std::set<int>{21, 22, 23, 25, 53, 80, 443, 4433, 8443});
  CHECK(ports(*srv, "udp") == std::set<int>{53});

  const auto* ftp = service(*srv, "tcp", 21);
  REQUIRE(ftp);
  CHECK(ftp->protocol == "ftp");
  CHECK(ftp->banner.find("Corpus FTP service ready.") != std::string::npos);
  const auto* ssh = service(*srv, "tcp", 22);
  REQUIRE(ssh);
  CHECK(ssh->protocol == "ssh");
  CHECK(ssh->banner == "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10");
  CHECK(ssh->software == "OpenSSH_9.2p1");
  CHECK(service(*srv, "tcp", 23)->protocol == "telnet");
  const auto* smtp = service(*srv, "tcp", 25);
  REQUIRE(smtp);
  CHECK(smtp->protocol == "smtp");
  CHECK(smtp->banner.find("mail.example.test ESMTP Postfix (corpus)") != std::string::npos);
  CHECK(smtp->software == "Postfix");
  CHECK(service(*srv, "udp", 53)->protocol == "dns");
  const auto* http = service(*srv, "tcp", 80);
  REQUIRE(http);
  CHECK(http->protocol == "http");
  CHECK(http->software == "nginx/1.22.1");
  CHECK(service(*srv, "tcp", 443)->protocol == "tls");
  CHECK(service(*srv, "tcp", 443)->cert_subject.empty());  // TLS 1.3: encrypted
  CHECK(service(*srv, "tcp", 8443)->cert_subject.find("CN=shop.example.test") != std::string::npos);
  CHECK(service(*srv, "tcp", 4433)->cert_subject.find("CN=legacy.example.test") !=
        std::string::npos);
  for (const auto& s : srv->services) CHECK(s.first_seen <= s.last_seen);

  CHECK(srv->mac == "02:99:00:00:00:01");
  CHECK(sources_of(*srv, "www.example.test") ==
        std::set<std::string>{"dns", "dns_ptr", "http_host", "tls_sni"});
  CHECK(sources_of(*srv, "shop.example.test") == std::set<std::string>{"tls_sni"});
  CHECK(sources_of(*srv, "legacy.example.test") == std::set<std::string>{"tls_sni"});
  CHECK(sources_of(*srv, "mail.example.test") == std::set<std::string>{"dns"});
  CHECK(sources_of(*srv, "ftp.example.test") == std::set<std::string>{"dns"});  // CNAME -> www
  // The DNS-tunnel burst answered A 10.99.0.1 for 25 generated names: not host names.
  for (const auto& h : srv->hostnames) CHECK(h.name.find("exfil") == std::string::npos);

  std::set<std::pair<std::string, std::string>> hints;
  for (const auto& h : srv->os_hints) hints.insert({h.source, h.value});
  CHECK(hints.count({"ttl", "64"}));
  CHECK(hints.count({"ssh_banner", "Debian"}));
  CHECK_FALSE(hints.count({"ttl", "128"}));

  const AssetRecord* cli = find(recs, "10.99.0.2");
  REQUIRE(cli);
  CHECK(cli->services.empty());
  CHECK(cli->mac == "02:99:00:00:00:02");
  CHECK(cli->hostnames.empty());
  // Exactly the two hosts talked; the captures hold no other unicast host.
  CHECK(recs.size() == 2);
  CHECK(srv->first_seen <= srv->last_seen);
}

TEST_CASE("corpus: a port scan shows only the open ports", "[sensor][assets]") {
  auto recs = inventory_of({"portscan.pcap"});
  const AssetRecord* srv = find(recs, "10.99.0.1");
  REQUIRE(srv);
  // Oracle: the ports from which the target sent SYN+ACK, per tshark.
  std::set<int> synack;
  for (const auto& line :
       tshark_fields(corpus("portscan.pcap"),
                     "ip.src==10.99.0.1 && tcp.flags.syn==1 && tcp.flags.ack==1", {"tcp.srcport"}))
    synack.insert(std::stoi(line));
  CHECK(synack == std::set<int>{21, 22, 23, 25, 53, 80, 443});
  CHECK(ports(*srv, "tcp") == synack);
  CHECK(ports(*srv, "udp").empty());
  // -sV got real banners on 22 and 80.
  REQUIRE(service(*srv, "tcp", 22));
  CHECK(service(*srv, "tcp", 22)->software == "OpenSSH_9.2p1");
  REQUIRE(service(*srv, "tcp", 80));
  CHECK(service(*srv, "tcp", 80)->software == "nginx/1.22.1");
  const AssetRecord* scanner = find(recs, "10.99.0.2");
  REQUIRE(scanner);
  CHECK(scanner->services.empty());
}

TEST_CASE("corpus: IPv6 and VLAN hosts", "[sensor][assets]") {
  auto v6 = inventory_of({"ipv6_http.pcap"});
  const AssetRecord* srv = find(v6, "fd99::1");
  REQUIRE(srv);
  CHECK(ports(*srv, "tcp") == std::set<int>{80});
  CHECK(service(*srv, "tcp", 80)->software == "nginx/1.22.1");
  CHECK(sources_of(*srv, "www.example.test") == std::set<std::string>{"http_host"});
  CHECK(srv->hostnames.size() == 1);  // "Host: [fd99::1]" is an address, not a name
  CHECK(srv->mac == "02:99:00:00:00:01");
  const AssetRecord* cli = find(v6, "fd99::2");
  REQUIRE(cli);
  CHECK(cli->services.empty());

  auto vlan = inventory_of({"vlan_frag.pcap"});
  const AssetRecord* vsrv = find(vlan, "10.99.0.129");
  REQUIRE(vsrv);
  CHECK(ports(*vsrv, "tcp") == std::set<int>{80});
  CHECK(ports(*vsrv, "udp") == std::set<int>{9999});  // answered the fragmented datagrams
  REQUIRE(find(vlan, "10.99.0.130"));
  CHECK(find(vlan, "10.99.0.130")->services.empty());
}

TEST_CASE("--threads 2 gives the same inventory as 1", "[sensor][assets]") {
  std::vector<std::string> files = kServerCaptures;
  files.push_back("portscan.pcap");
  auto dump = [](const std::vector<AssetRecord>& recs) {
    std::string out;
    for (const auto& r : recs) out += vigil::core::to_json(r).dump() + "\n";
    return out;
  };
  const std::string one = dump(inventory_of(files, 1));
  CHECK(one.find("10.99.0.1") != std::string::npos);
  CHECK(dump(inventory_of(files, 2)) == one);
}

TEST_CASE("caps bound the inventory and count what they refuse", "[sensor][assets]") {
  assets::AssetStats stats;
  assets::AssetLimits limits;
  limits.max_assets = 1;
  limits.max_services = 2;
  auto recs = inventory_of({"dns_mix.pcap", "ftp_login.pcap"}, 1, limits, &stats);
  CHECK(recs.size() <= 1);
  CHECK(stats.assets_dropped > 0);
  CHECK(stats.services_dropped > 0);
  std::size_t services = 0;
  for (const auto& r : recs) services += r.services.size();
  CHECK(services <= 2);
  CHECK(stats.assets == recs.size());
}

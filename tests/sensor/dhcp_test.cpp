// DHCP on a real exchange (tests/data/dhcp/dhcp-dnsmasq.pcap, made by
// make-dhcp-pcap.sh: dnsmasq serving ISC dhclient across a veth pair): the
// dhcp events agree with tshark's dhcp fields message by message, and the
// asset inventory names the leased address after the client's hostname.
#include <catch2/catch.hpp>
#include <fstream>

#include "sensor/assets/collector.h"
#include "sensor_test_util.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {

const std::string kPcap = std::string(VIGIL_TEST_DATA) + "/dhcp/dhcp-dnsmasq.pcap";

std::string field(const Json& d, const char* k) {
  return d.contains(k) && d[k].is_string() ? d[k].get<std::string>() : "";
}

}  // namespace

TEST_CASE("dhcp: events agree with tshark on a dnsmasq/dhclient exchange", "[sensor][dhcp]") {
  Run run = run_file(kPcap);
  REQUIRE(run.ok);
  auto events = run.of_type("dhcp");
  auto oracle = tshark_fields(
      kPcap, "dhcp",
      {"dhcp.id", "dhcp.hw.mac_addr", "dhcp.option.dhcp", "dhcp.option.requested_ip_address",
       "dhcp.option.hostname", "dhcp.option.vendor_class_id", "dhcp.ip.your"});
  // Discover, offer, request, ack, release.
  REQUIRE(oracle.size() == 5);
  REQUIRE(events.size() == oracle.size());
  const char* types[] = {"", "discover", "offer", "request", "decline", "ack", "nak", "release"};
  for (std::size_t i = 0; i < events.size(); ++i) {
    INFO("message " << i << ": " << oracle[i]);
    auto t = split(oracle[i], '|');
    REQUIRE(t.size() == 7);
    const Json& d = events[i]["dhcp"];
    CHECK(d["id"].get<std::uint64_t>() == std::stoull(t[0], nullptr, 16));
    CHECK(field(d, "client_mac") == t[1]);
    CHECK(field(d, "dhcp_type") == types[std::stoi(t[2])]);
    CHECK(field(d, "requested_ip") == t[3]);
    CHECK(field(d, "hostname") == t[4]);
    CHECK(field(d, "vendor_class_id") == t[5]);
    CHECK(field(d, "assigned_ip") == (t[6] == "0.0.0.0" ? "" : t[6]));
  }
  // What the script asked for, so a regenerated capture keeps the test honest.
  CHECK(field(events[0]["dhcp"], "client_mac") == "02:00:5e:10:00:02");
  CHECK(field(events[0]["dhcp"], "hostname") == "vigil-lab-laptop");
  CHECK(field(events[0]["dhcp"], "vendor_class_id") == "vigil-test-vendor 1.0");
  CHECK(field(events[0]["dhcp"], "requested_ip") == "192.0.2.77");
  CHECK(field(events[3]["dhcp"], "dhcp_type") == "ack");
  CHECK(field(events[3]["dhcp"], "assigned_ip") == "192.0.2.77");
}

TEST_CASE("dhcp: --assets names the leased address after the DHCP hostname",
          "[sensor][dhcp][assets]") {
  std::string out = tmp_dir() + "/dhcp_assets.jsonl";
  std::string cmd = std::string(VIGIL_BIN) + " --quiet sensor -r '" + kPcap +
                    "' --tenant acme --assets '" + out + "'; echo rc=$?";
  auto lines = lines_of(cmd);
  REQUIRE(!lines.empty());
  CHECK(lines.back() == "rc=0");
  std::ifstream in(out);
  const Json* client = nullptr;
  std::vector<Json> recs;
  for (std::string l; std::getline(in, l);) recs.push_back(Json::parse(l));
  for (const Json& r : recs)
    if (r["ip"] == "192.0.2.77") client = &r;
  REQUIRE(client);
  CHECK((*client)["mac"] == "02:00:5e:10:00:02");
  bool named = false;
  for (const Json& h : (*client)["hostnames"])
    if (h["name"] == "vigil-lab-laptop")
      for (const Json& s : h["sources"]) named = named || s == "dhcp";
  CHECK(named);
  // The server keeps its own MAC and gets no client name.
  for (const Json& r : recs)
    if (r["ip"] == "192.0.2.1") {
      CHECK(r["mac"] == "02:00:5e:10:00:01");
      CHECK(r["hostnames"].empty());
    }
}

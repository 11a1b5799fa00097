// `vigil sensor --assets` and `vigil assets import|list` driven as a user
// would: real captures in, JSON Lines out, the store per tenant.
#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/tmpdir.h"

using vigil::test::read_file;
using vigil::test::run;
using vigil::test::sh_quote;
using vigil::test::TempDir;
using vigil::test::write_file;

namespace {

const std::string kVigil = VIGIL_BIN;

std::string corpus(const std::string& f) {
  return std::string(VIGIL_CORPUS_DIR) + "/" + f;
}

std::vector<nlohmann::json> lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(nlohmann::json::parse(l));
  return out;
}

const nlohmann::json* by_ip(const std::vector<nlohmann::json>& recs, const std::string& ip) {
  for (const auto& r : recs)
    if (r["ip"] == ip) return &r;
  return nullptr;
}

std::set<int> tcp_ports(const nlohmann::json& a) {
  std::set<int> out;
  for (const auto& s : a["services"])
    if (s["transport"] == "tcp") out.insert(s["port"].get<int>());
  return out;
}

struct Fixture {
  TempDir dir{"assets-cli"};
  std::string db = dir.str("v.db");
  // Runs the sensor on one capture; returns the assets file path.
  std::string sense(const std::string& capture, const std::string& extra = "") {
    const std::string out = dir.str(capture + ".assets.jsonl");
    auto r = run(kVigil + " --quiet sensor -r " + sh_quote(corpus(capture)) +
                 " --tenant acme --sensor-name edge-1 --assets " + sh_quote(out) + " " + extra);
    REQUIRE(r.exit_code == 0);
    return out;
  }
  vigil::test::RunResult assets(const std::string& args) {
    return run(kVigil + " --quiet assets " + args + " --db " + sh_quote(db));
  }
};

}  // namespace

TEST_CASE("sensor --assets writes the documented records", "[cli][assets]") {
  Fixture fx;
  const std::string stats = fx.dir.str("stats.json");
  auto file = fx.sense("ssh_session.pcap", "--stats " + sh_quote(stats));
  auto recs = lines(read_file(file));
  REQUIRE(recs.size() == 2);
  const auto* srv = by_ip(recs, "10.99.0.1");
  REQUIRE(srv);
  for (const char* k : {"schema_version", "tenant", "sensor", "ip", "mac", "hostnames", "services",
                        "os_hints", "first_seen", "last_seen"})
    CHECK(srv->contains(k));
  CHECK((*srv)["schema_version"] == 1);
  CHECK((*srv)["tenant"] == "acme");
  CHECK((*srv)["sensor"] == "edge-1");
  CHECK((*srv)["mac"] == "02:99:00:00:00:01");
  REQUIRE((*srv)["services"].size() == 1);
  const auto& ssh = (*srv)["services"][0];
  CHECK(ssh["port"] == 22);
  CHECK(ssh["transport"] == "tcp");
  CHECK(ssh["protocol"] == "ssh");
  CHECK(ssh["software"] == "OpenSSH_9.2p1");
  CHECK(ssh["banner"] == "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10");
  CHECK(ssh["first_seen"].get<std::string>().rfind("2026-11-26T", 0) == 0);
  auto st = nlohmann::json::parse(read_file(stats));
  CHECK(st["assets"]["assets"] == 2);
  CHECK(st["assets"]["services"] == 1);
  CHECK(st["assets"]["assets_dropped"] == 0);

  // The same file for any --threads.
  const std::string two = fx.dir.str("two.jsonl");
  REQUIRE(run(kVigil + " --quiet sensor -r " + sh_quote(corpus("portscan.pcap")) +
              " --tenant acme --sensor-name edge-1 --threads 2 --assets " + sh_quote(two))
              .exit_code == 0);
  const std::string one = fx.sense("portscan.pcap");
  CHECK(read_file(two) == read_file(one));
  CHECK(tcp_ports(*by_ip(lines(read_file(one)), "10.99.0.1")) ==
        std::set<int>{21, 22, 23, 25, 53, 80, 443});

  // Caps from the command line, counted in the stats.
  fx.sense("portscan.pcap", "--assets-max 1 --stats " + sh_quote(stats));
  st = nlohmann::json::parse(read_file(stats));
  CHECK(st["assets"]["assets"] == 1);
  CHECK(st["assets"]["assets_dropped"].get<int>() > 0);
}

TEST_CASE("assets import/list: per tenant, merged, filtered", "[cli][assets]") {
  Fixture fx;
  auto ssh = fx.sense("ssh_session.pcap");
  auto http = fx.sense("http_basic_auth.pcap");
  auto imp = fx.assets("import --tenant A " + sh_quote(ssh));
  REQUIRE(imp.exit_code == 0);
  REQUIRE(fx.assets("import --tenant A " + sh_quote(http)).exit_code == 0);

  auto a = lines(fx.assets("list --tenant A --format json").out);
  REQUIRE(a.size() == 2);  // the server and the client, merged across both imports
  const auto* srv = by_ip(a, "10.99.0.1");
  REQUIRE(srv);
  CHECK(tcp_ports(*srv) == std::set<int>{22, 80});
  CHECK((*srv)["tenant"] == "A");
  auto first = [](const std::string& f) { return lines(read_file(f))[0]["first_seen"]; };
  CHECK((*srv)["first_seen"] == std::min(first(ssh), first(http)));

  // Tenant B sees nothing of A.
  auto b = fx.assets("list --tenant B --format json");
  CHECK(b.exit_code == 0);
  CHECK(b.out.empty());

  auto only22 = lines(fx.assets("list --tenant A --service 22 --format json").out);
  REQUIRE(only22.size() == 1);
  CHECK(only22[0]["ip"] == "10.99.0.1");
  CHECK(lines(fx.assets("list --tenant A --ip 10.99.0.2 --format json").out).size() == 1);
  CHECK(fx.assets("list --tenant A --service 443 --format json").out.empty());
  auto table = fx.assets("list --tenant A --format table");
  CHECK(table.out.find("22/tcp ssh") != std::string::npos);
  CHECK(table.out.find("2 assets") != std::string::npos);

  // Injection strings are values: no rows, no error, and no effect on A.
  CHECK(fx.assets("list --tenant " + sh_quote("B' OR '1'='1") + " --format json").out.empty());
  auto bad_ip = fx.assets("list --tenant A --ip " + sh_quote("10.99.0.1' OR 1=1 --"));
  CHECK(bad_ip.exit_code == 64);
  CHECK(bad_ip.err.find("--ip") != std::string::npos);
  CHECK(fx.assets("list --tenant A --service " + sh_quote("22 OR 1=1")).exit_code == 64);
  CHECK(lines(fx.assets("list --tenant A --format json").out).size() == 2);
}

TEST_CASE("assets import: all or nothing, errors name FILE:LINE", "[cli][assets]") {
  Fixture fx;
  auto good = read_file(fx.sense("ssh_session.pcap"));
  const std::string bad = fx.dir.str("bad.jsonl");
  write_file(bad, good + R"({"schema_version":1,"ip":"not-an-ip","first_seen":"2026-11-26",)"
                         R"("last_seen":"2026-11-26"})"
                         "\n");
  auto r = fx.assets("import --tenant A " + sh_quote(bad));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bad.jsonl:3") != std::string::npos);
  CHECK(r.err.find("not an IP") != std::string::npos);
  // Nothing from the good lines went in (no database, or an empty tenant).
  auto list = fx.assets("list --tenant A --format json");
  CHECK(list.out.empty());
  CHECK(fx.assets("list").exit_code == 64);  // --tenant missing
}

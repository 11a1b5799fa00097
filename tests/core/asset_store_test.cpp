// The asset store on a real SQLite file: tenant isolation, upsert merge, and
// hostile filter values that must stay data, never SQL.
#include <catch2/catch.hpp>

#include "../support/tmpdir.h"
#include "core/store/asset_store.h"

using namespace vigil;
using core::AssetRecord;

namespace {

AssetRecord asset(const std::string& ip, int port, const std::string& banner, const char* first,
                  const char* last) {
  AssetRecord a;
  a.ip = ip;
  a.mac = "02:99:00:00:00:01";
  a.first_seen = *parse_rfc3339(first);
  a.last_seen = *parse_rfc3339(last);
  a.hostnames.push_back({"www.example.test", {"tls_sni"}});
  a.services.push_back({static_cast<std::uint16_t>(port), "tcp", "ssh", "OpenSSH_9.2p1", banner, "",
                        a.first_seen, a.last_seen});
  a.os_hints.push_back({"ttl", "64", "initial TTL 64"});
  return a;
}

std::unique_ptr<store::AssetStore> open(test::TempDir& d) {
  auto s = store::AssetStore::open(d.str("vigil.db"));
  REQUIRE(s.ok());
  return std::move(*s);
}

}  // namespace

TEST_CASE("assets: each tenant sees only its own", "[store][assets]") {
  test::TempDir d("assets-tenant");
  auto s = open(d);
  REQUIRE(*s->import("A", {asset("10.0.0.1", 22, "SSH-2.0-x", "2026-11-01", "2026-11-02")}) == 1);
  auto a = s->list({"A", "", std::nullopt});
  REQUIRE(a.ok());
  REQUIRE(a->size() == 1);
  CHECK((*a)[0].tenant == "A");
  CHECK((*a)[0].services.size() == 1);
  auto b = s->list({"B", "", std::nullopt});
  REQUIRE(b.ok());
  CHECK(b->empty());
  CHECK(s->list({"B", "10.0.0.1", 22})->empty());
}

TEST_CASE("assets: re-import merges into one row", "[store][assets]") {
  test::TempDir d("assets-merge");
  auto s = open(d);
  REQUIRE(*s->import("A", {asset("10.0.0.1", 22, "SSH-2.0-old", "2026-11-05", "2026-11-06")}) == 1);
  AssetRecord later = asset("10.0.0.1", 80, "nginx", "2026-11-01", "2026-11-09");
  later.hostnames = {{"www.example.test", {"dns"}}, {"shop.example.test", {"tls_sni"}}};
  later.services.push_back(
      {22, "tcp", "ssh", "OpenSSH_9.6p1", "SSH-2.0-new", "", later.first_seen, later.last_seen});
  REQUIRE(*s->import("A", {later}) == 0);  // nothing new: merged
  auto rows = s->list({"A", "", std::nullopt});
  REQUIRE(rows->size() == 1);
  const AssetRecord& r = (*rows)[0];
  CHECK(r.first_seen == *parse_rfc3339("2026-11-01"));  // min
  CHECK(r.last_seen == *parse_rfc3339("2026-11-09"));   // max
  REQUIRE(r.services.size() == 2);
  CHECK(r.services[0].port == 22);
  CHECK(r.services[0].banner == "SSH-2.0-new");  // seen last wins
  CHECK(r.services[0].first_seen == *parse_rfc3339("2026-11-01"));
  CHECK(r.services[1].port == 80);
  REQUIRE(r.hostnames.size() == 2);
  CHECK(r.hostnames[0].name == "shop.example.test");
  CHECK(r.hostnames[1].sources == std::vector<std::string>{"dns", "tls_sni"});
  // The --service index follows the merged services.
  CHECK(s->list({"A", "", 80})->size() == 1);
  CHECK(s->list({"A", "", 443})->empty());
}

TEST_CASE("assets: hostile tenant and filter values are data", "[store][assets]") {
  test::TempDir d("assets-sqli");
  auto s = open(d);
  const std::string evil = "x' OR '1'='1";
  REQUIRE(s->import("A", {asset("10.0.0.1", 22, "b", "2026-11-01", "2026-11-02")}).ok());
  REQUIRE(s->import(evil, {asset("10.0.0.9", 22, "b", "2026-11-01", "2026-11-02")}).ok());
  for (const std::string& t : {evil, std::string("A' --"), std::string("%"), std::string("*")}) {
    auto rows = s->list({t, "", std::nullopt});
    REQUIRE(rows.ok());
    for (const auto& r : *rows) CHECK(r.ip == "10.0.0.9");  // only the literal tenant's own
  }
  CHECK(s->list({evil, "", std::nullopt})->size() == 1);
  CHECK(s->list({"A", "10.0.0.1' OR '1'='1", std::nullopt})->empty());
  CHECK(s->list({"A", "' OR 1=1 --", std::nullopt})->empty());
  CHECK(s->list({"A", "", std::nullopt})->size() == 1);
}

// The finding model: JSON round trip, schema conformance (checked by Python's
// jsonschema as an independent validator), fingerprints and secret redaction.
#include <catch2/catch.hpp>
#include <cstdio>
#include <ctime>

#include "core/finding/finding.h"
#include "tests/support/tmpdir.h"

using namespace vigil;
using namespace vigil::core;
using nlohmann::json;

namespace {

json sample() {
  return json::parse(R"({
    "asset": {"ip": "10.99.0.1", "hostname": "www.example.test"},
    "source": "sensor", "type": "net.auth.cleartext.ftp", "severity": "high",
    "confidence": 0.9, "title": "FTP login in clear text",
    "description": "USER/PASS seen on TCP/21",
    "evidence": {"user": "alice", "password": "S3cretFtp!", "password_present": true,
                 "flow_id": 42, "nested": {"Authorization": "Basic Y2Fyb2w6eA=="}},
    "references": [{"framework": "mitre-attack", "id": "T1040"}],
    "first_seen": "2026-11-26T11:00:19Z", "last_seen": "2026-11-26T11:05:00.250Z"
  })");
}

}  // namespace

TEST_CASE("imported finding gets id, count, status; strict reading round-trips") {
  auto f = finding_from_import(sample(), "acme", 1000);
  REQUIRE(f.ok());
  CHECK(f->tenant == "acme");
  CHECK(f->id.size() == 64);
  CHECK(f->count == 1);
  CHECK(f->status == core::Status::open_new);
  CHECK(f->last_seen == *parse_rfc3339("2026-11-26T11:05:00.25Z"));
  const json j = to_json(*f);
  auto back = finding_from_json(j);
  REQUIRE(back.ok());
  CHECK(to_json(*back) == j);
  CHECK(j["last_seen"] == "2026-11-26T11:05:00.250000Z");
}

TEST_CASE("secrets never survive into a finding") {
  auto f = finding_from_import(sample(), "acme", 1000);
  REQUIRE(f.ok());
  CHECK(f->evidence["password"] == "<redacted>");
  CHECK(f->evidence["password_present"] == true);
  CHECK(f->evidence["nested"]["Authorization"] == "<redacted>");
  CHECK(f->evidence["user"] == "alice");
  CHECK(to_json(*f).dump().find("S3cretFtp") == std::string::npos);
}

TEST_CASE("fingerprint: same problem same id, other tenant or asset another id") {
  auto a = finding_from_import(sample(), "acme", 1);
  json later = sample();
  later["last_seen"] = "2026-12-01T00:00:00Z";
  later["evidence"]["flow_id"] = 99;  // not a fingerprint field: same problem
  later["title"] = "reworded";
  auto b = finding_from_import(later, "acme", 2);
  auto c = finding_from_import(sample(), "globex", 1);
  json other_asset = sample();
  other_asset["asset"]["ip"] = "10.99.0.2";
  auto d = finding_from_import(other_asset, "acme", 1);
  REQUIRE((a.ok() && b.ok() && c.ok() && d.ok()));
  CHECK(a->id == b->id);
  CHECK(a->id != c->id);
  CHECK(a->id != d->id);

  // fingerprint_fields split one type on one asset into distinct problems.
  json y1 = json::parse(R"({"asset":{"host_id":"h1"},"source":"scanner","type":"host.malware.yara",
    "severity":"critical","title":"t","evidence":{"path":"/a","rule":"r"},
    "fingerprint_fields":["path","rule"]})");
  json y2 = y1;
  y2["evidence"]["path"] = "/b";
  auto f1 = finding_from_import(y1, "acme", 1), f2 = finding_from_import(y2, "acme", 1);
  REQUIRE((f1.ok() && f2.ok()));
  CHECK(f1->id != f2->id);
  // Stable across releases: a changed encoding would re-open every finding.
  CHECK(f1->id == fingerprint(*f1));
}

TEST_CASE("import rejects what it cannot derive, naming the field") {
  auto bad = [](auto mutate) {
    json j = sample();
    mutate(j);
    auto f = finding_from_import(j, "acme", 1);
    REQUIRE_FALSE(f.ok());
    return f.error().what;
  };
  CHECK(bad([](json& j) { j.erase("asset"); }) == "missing field 'asset'");
  CHECK(bad([](json& j) { j["asset"] = json::object(); }).find("at least one") !=
        std::string::npos);
  CHECK(bad([](json& j) { j.erase("type"); }) == "missing field 'type'");
  CHECK(bad([](json& j) { j["severity"] = "severe"; }).find("unknown severity 'severe'") !=
        std::string::npos);
  CHECK(bad([](json& j) { j["source"] = "nmap"; }).find("unknown source") != std::string::npos);
  CHECK(bad([](json& j) { j["type"] = "Net Auth"; }).find("field 'type'") != std::string::npos);
  CHECK(bad([](json& j) { j["first_seen"] = "yesterday"; }).find("RFC 3339") != std::string::npos);
  CHECK(bad([](json& j) { j["confidence"] = 3; }).find("confidence") != std::string::npos);
  CHECK(bad([](json& j) { j["tenant"] = "globex"; }).find("importing for tenant 'acme'") !=
        std::string::npos);
  CHECK(bad([](json& j) { j["evidence"]["blob"] = std::string(70000, 'x'); }).find("larger than") !=
        std::string::npos);
  // The strict reader wants everything a Vigil-written finding has.
  CHECK_FALSE(finding_from_json(sample()).ok());
}

TEST_CASE("evidence excerpts are base64 and capped") {
  const std::string raw(5000, 'A');
  json e = evidence_excerpt(raw);
  CHECK(e["size"] == 5000);
  CHECK(e["truncated"] == true);
  CHECK(e["base64"].get<std::string>().size() == 4 * ((kMaxExcerptBytes + 2) / 3));
  CHECK(evidence_excerpt("hi")["base64"] == "aGk=");
}

TEST_CASE("written findings conform to docs/findings.schema.json (independent validator)") {
  test::TempDir dir("schema");
  json lines = json::array();
  auto f = finding_from_import(sample(), "acme", 1000);
  REQUIRE(f.ok());
  lines.push_back(to_json(*f));
  json minimal = json::parse(R"({"asset":{"mac":"02:99:00:00:00:01"},"source":"mapper",
    "type":"compliance.rule.fail","severity":"info","title":"x"})");
  auto g = finding_from_import(minimal, "t", 5);
  REQUIRE(g.ok());
  lines.push_back(to_json(*g));
  test::write_file(dir.path() / "f.json", lines.dump());
  // A deliberately broken one must be caught, or this test could not fail.
  json broken = to_json(*g);
  broken["severity"] = "severe";
  test::write_file(dir.path() / "bad.json", json::array({broken}).dump());
  const std::string schema = std::string(VIGIL_SOURCE_DIR) + "/docs/findings.schema.json";
  auto validate = [&](const std::string& file) {
    return test::run(
        "/usr/bin/python3 -c " +
        test::sh_quote("import json,sys,jsonschema\n"
                       "s=json.load(open(sys.argv[1]))\n"
                       "for x in json.load(open(sys.argv[2])): "
                       "jsonschema.validate(x, s, format_checker=jsonschema.FormatChecker())\n") +
        " " + schema + " " + (dir.path() / file).string());
  };
  auto ok = validate("f.json");
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(validate("bad.json").exit_code != 0);
}

TEST_CASE("RFC 3339 parsing and formatting") {
  CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_rfc3339("2026-11-26T12:00:00+01:00") == parse_rfc3339("2026-11-26T11:00:00Z"));
  CHECK(parse_rfc3339("2026-11-26") == parse_rfc3339("2026-11-26T00:00:00Z"));
  CHECK(format_rfc3339(*parse_rfc3339("2024-02-29T23:59:59.5Z")) == "2024-02-29T23:59:59.500000Z");
  CHECK_FALSE(parse_rfc3339("2026-13-01").has_value());
  CHECK_FALSE(parse_rfc3339("2026-11-26T12:00:00").has_value());  // no zone
  CHECK_FALSE(parse_rfc3339("2026-11-26T12:00:00Zjunk").has_value());
}

// format_rfc3339 writes the date digit by digit; libc's gmtime_r + printf is
// the oracle over the whole range it can meet (negative times, leap days,
// centuries, fractions, years past 9999).
TEST_CASE("RFC 3339 formatting agrees with gmtime_r and printf") {
  auto libc = [](Micros t) {
    std::int64_t secs = t / 1000000, frac = t % 1000000;
    if (frac < 0) frac += 1000000, secs -= 1;
    std::time_t tt = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf,
                  frac ? "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ" : "%04d-%02d-%02dT%02d:%02d:%02dZ",
                  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(frac));
    return std::string(buf);
  };
  std::vector<Micros> ts = {0,
                            -1,
                            1,
                            999999,
                            -999999,
                            -1000000,
                            951782400000000 /* 2000-02-29 */,
                            4107542399999999 /* 2100-02-28T23:59:59.999999 */,
                            253402300799000000 /* 9999-12-31T23:59:59 */,
                            253402300800000000 /* 10000-01-01 */,
                            -62167219200000000 /* 0000-01-01 */,
                            -62167219200000001};
  std::uint64_t x = 0x9e3779b97f4a7c15ull;
  for (int i = 0; i < 20000; ++i) {  // xorshift: spread over +-2^58 us (about +-9,000 years)
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    ts.push_back(static_cast<Micros>(x >> 5) - (Micros{1} << 58));
    ts.push_back(static_cast<Micros>(x % 4102444800ull) * 1000000);  // whole seconds, 1970..2100
  }
  for (Micros t : ts) {
    INFO(t);
    REQUIRE(format_rfc3339(t) == libc(t));
  }
}

// The fast import reader (simdjson) must give exactly what the nlohmann path
// gives: same finding, same id, same evidence, same error message, for good
// lines and for every kind of bad or unusual one.
#include <catch2/catch.hpp>

#include "core/finding/finding.h"
#include "core/finding/finding_import.h"

using namespace vigil;
using namespace vigil::core;
using nlohmann::json;

namespace {

// What the import path produced before the fast reader existed.
Result<Finding> slow(const std::string& line, const std::string& tenant, Micros now) {
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded()) return Error{"", "not valid JSON"};
  return finding_from_import(j, tenant, now);
}

const std::string kGood =
    R"({"asset":{"hostname":"Host7.Client.Example","ip":"10.0.0.7"},"confidence":0.9,)"
    R"("description":"d","evidence":{"path":"/etc/f","flow_id":12,"nested":{"a":[1,2.5,null,true]}},)"
    R"("fingerprint_fields":["path","missing"],"first_seen":"2026-11-04T18:03:05Z",)"
    R"("last_seen":"2026-11-05T18:03:05Z","references":[{"framework":"cis-controls-v8","id":"4.8"}],)"
    R"("severity":"critical","source":"scanner","title":"T","type":"host.cert.expiring"})";

}  // namespace

TEST_CASE("fast import reader agrees with the nlohmann path", "[finding][import]") {
  const std::vector<std::string> lines = {
      kGood,
      // Optional fields given: id, status, count, schema_version, tenant.
      R"({"schema_version":1,"id":"abc","tenant":"acme","asset":{"mac":"AA:BB:CC:00:11:22"},)"
      R"("source":"sensor","type":"net.scan.tcp_syn","severity":"low","title":"x","count":7,)"
      R"("status":"acknowledged","first_seen":"2026-11-01T00:00:00Z"})",
      // Nulls count as missing; unknown fields are ignored; unicode and escapes.
      R"({"asset":{"host_id":"h-1","ip":null},"source":"mapper","type":"a.b","severity":"info",)"
      R"("title":"caf\u00e9 \"q\" \\ \n","description":null,"extra":{"x":1},"evidence":null})",
      // Secrets are redacted (the slow path does it), nested too.
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"net.auth.cleartext.ftp",)"
      R"("severity":"high","title":"t","evidence":{"user":"u","Password":"p","password_present":true,)"
      R"("n":{"token":"x"}},"fingerprint_fields":["Password"]})",
      // Duplicate keys: nlohmann keeps the last.
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"a.b","severity":"high","title":"t",)"
      R"("severity":"low","evidence":{"k":1,"k":2},"fingerprint_fields":["k"]})",
      // Errors, each with the slow path's message.
      "not json",
      "[1,2]",
      R"({"source":"sensor","type":"a.b","severity":"high","title":"t"})",
      R"({"asset":{},"source":"sensor","type":"a.b","severity":"high","title":"t"})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"nope","type":"a.b","severity":"high","title":"t"})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"A..b","severity":"high","title":"t"})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"a.b","severity":"high","title":""})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"a.b","severity":"high","title":"t",)"
      R"("confidence":1.5})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"a.b","severity":"high","title":"t",)"
      R"("count":0})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"a.b","severity":"high","title":"t",)"
      R"("count":2.0})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"a.b","severity":"high","title":"t",)"
      R"("schema_version":2})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"a.b","severity":"high","title":"t",)"
      R"("tenant":"globex"})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"a.b","severity":"high","title":"t",)"
      R"("first_seen":"2026-11-05T00:00:00Z","last_seen":"2026-11-04T00:00:00Z"})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"a.b","severity":"high","title":"t",)"
      R"("evidence":[1]})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"a.b","severity":"high","title":"t",)"
      R"("references":[{"framework":"x"}]})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"a.b","severity":"high","title":"t",)"
      R"("fingerprint_fields":[1]})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"a.b","severity":"high","title":"t",)"
      R"("last_seen":"yesterday"})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"a.b","severity":"high","title":"t",)"
      R"("evidence":{"big":)" +
          json(std::string(70000, 'x')).dump() + "}}",
  };
  ImportReader reader;
  for (const auto& line : lines) {
    INFO(line.substr(0, 200));
    auto want = slow(line, "acme", 5000);
    auto got = reader.read(line, "acme", 5000);
    REQUIRE(got.ok() == want.ok());
    if (!want) {
      CHECK(got.error().what == want.error().what);
      continue;
    }
    Finding w = *want;
    CHECK(json::parse(got->evidence_json) == w.evidence);
    Finding g = got->finding;
    g.evidence = w.evidence;
    CHECK(to_json(g) == to_json(w));
  }
  // The same reader keeps working after errors, and the id is the fingerprint.
  auto again = reader.read(kGood, "acme", 5000);
  REQUIRE(again.ok());
  CHECK(again->finding.id.size() == 64);
  CHECK(again->evidence_json.find("\"flow_id\":12") != std::string::npos);
}

TEST_CASE("append_json writes the bytes to_json().dump() writes", "[finding][import]") {
  const std::vector<std::string> lines = {
      kGood,
      R"({"asset":{"host_id":"h","mac":"aa:bb:cc:dd:ee:ff","ip":"::1","hostname":"h\u00e9"},)"
      R"("source":"mapper","type":"a.b","severity":"info","title":"tab\there \"q\" \u0001",)"
      R"("description":"back\\slash","confidence":1,"count":3,"status":"false_positive"})"};
  for (const auto& line : lines) {
    auto f = slow(line, "acme", 5000);
    REQUIRE(f.ok());
    json refs = to_json(*f)["references"];
    json fields = f->fingerprint_fields;
    std::string out;
    append_json(out, *f, f->evidence.dump(), refs.dump(), fields.dump());
    CHECK(out == to_json(*f).dump());
  }
}

// The plain-text check reads eight bytes at a time: put each character that
// needs escaping or UTF-8 care at every position of strings around that width.
TEST_CASE("append_json escapes a special character at any position", "[finding][import]") {
  auto base = slow(kGood, "acme", 5000);
  REQUIRE(base.ok());
  const std::vector<std::string> specials = {"\"",   "\\",       "\x01", "\x1f", "\n",
                                             "\x7f", "\xc3\xa9", " ",    "~"};
  for (std::size_t len = 0; len <= 26; ++len)
    for (std::size_t pos = 0; pos <= len; ++pos)
      for (const auto& sp : specials) {
        core::Finding f = *base;
        f.title = std::string(pos, 'a') + sp + std::string(len - pos, 'b');
        f.description = sp + f.title;
        std::string out;
        append_json(out, f, f.evidence.dump(), to_json(f)["references"].dump(),
                    json(f.fingerprint_fields).dump());
        INFO(f.title);
        REQUIRE(out == to_json(f).dump());
      }
}

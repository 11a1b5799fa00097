// The fast import reader (simdjson) must give exactly what the nlohmann path
// gives: same finding, same id, same evidence, same error message, for good
// lines and for every kind of bad or unusual one.
#include <catch2/catch.hpp>

#include "core/finding/finding.h"
#include "core/finding/finding_import.h"
#include "core/store/import_files.h"
#include "core/util/hash.h"
#include "tests/support/tmpdir.h"

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

namespace {

struct Fixed {
  std::string line, id, evidence;
};

// Ids and evidence text as the importer wrote them before it built the
// fingerprint text without nlohmann: stores hold these ids, so they must never
// change. Key fields of every JSON type, sorted, repeated, missing, escaped.
const Fixed kFixed[] = {
    {R"j({"asset":{"hostname":"host12780.client.example","ip":"10.49.236.1"},"confidence":0.9,"description":"Generated by perf/findings_gen for the import benchmark.","evidence":{"community_id":"1:LQU9qZlK+B5F3KDmev6m5PMibrg=","flow_id":38613536,"path":"/etc/file4"},"fingerprint_fields":["path"],"first_seen":"2026-11-04T18:03:05Z","last_seen":"2026-11-04T18:03:05Z","references":[{"framework":"cis-controls-v8","id":"4.8"}],"severity":"critical","source":"scanner","title":"Benchmark finding of type host.cert.expiring","type":"host.cert.expiring"})j",
     "3b204d927935bfd199ea2060eaabd4254d08737814fa8a2e86b1363fd4c644ac",
     R"j({"community_id":"1:LQU9qZlK+B5F3KDmev6m5PMibrg=","flow_id":38613536,"path":"/etc/file4"})j"},
    {R"j({"asset":{"hostname":"Host7.Client.Example","ip":"10.0.0.7"},"source":"scanner","type":"host.cert.expiring","severity":"high","title":"t","evidence":{"path":"/etc/f","flow_id":12},"fingerprint_fields":["path"]})j",
     "06987a4ef67e130bf3a6559b53819ccdb378a3f1fb3534bf30a41704fb9e916c",
     R"j({"path":"/etc/f","flow_id":12})j"},
    {R"j({"asset":{"hostname":"Host7.Client.Example"},"source":"sensor","type":"a.b","severity":"low","title":"t","evidence":{"s":"caf\u00e9 \"q\" \\ \n\t\u0001 \ud83d\ude00","i":-42,"u":18446744073709551615,"d":2.5,"e":1e300,"z":-0.0,"t":true,"f":false,"n":null},"fingerprint_fields":["u","s","i","d","e","z","t","f","n","missing","s"]})j",
     "b2853818af98616591c48b641eb8e7c5523e761529e2d1ece3f3f4fedae8c940",
     R"j({"s":"café \"q\" \\ \n\t\u0001 😀","i":-42,"u":18446744073709551615,"d":2.5,"e":1e+300,"z":-0.0,"t":true,"f":false,"n":null})j"},
    {R"j({"asset":{"mac":"AA:BB:CC:00:11:22"},"source":"mapper","type":"x.y_z-1","severity":"critical","title":"t","evidence":{"o":{"b":[1,2.0,{"c":null}],"a":"x"},"a":[],"k\"ey":1,"":"empty"},"fingerprint_fields":["o","a","k\"ey",""]})j",
     "980baecbd591e4a77162967cfc9f84d8bd257cf3e255c27af22a34cf3737b94a",
     R"j({"o":{"b":[1,2.0,{"c":null}],"a":"x"},"a":[],"k\"ey":1,"":"empty"})j"},
    {R"j({"asset":{"host_id":"H-1","ip":"::1"},"source":"scanner","type":"a.b","severity":"medium","title":"t","fingerprint_fields":["path"]})j",
     "a67da44e12d469797eea7c8891caa9f8a9fdc72ce7349dd9c6edcc60802eb728", "{}"},
    {R"j({"asset":{"ip":"192.0.2.1"},"source":"scanner","type":"a.b","severity":"info","title":"t","evidence":{"path":"/x"}})j",
     "b72f72722aecae02c27b3f1eb3bc0c6afe9cd09cf40ac367ac8c12d14dc92a7a", R"j({"path":"/x"})j"},
    {R"j({"asset":{"ip":"192.0.2.1"},"source":"scanner","type":"a.b","severity":"info","title":"t","evidence":{"path":"/x","Path":"/y","pa":1},"fingerprint_fields":["pa","Path","path"]})j",
     "ed83bd8640f35de5681b58f29f243da3583ec5c1177cdfcdd76ec468c371ce72",
     R"j({"path":"/x","Path":"/y","pa":1})j"},
    {R"j({"asset":{"hostname":"h\u00c9.Example"},"source":"scanner","type":"a.b","severity":"info","title":"t","evidence":{"big":123456789012345678,"neg":-9223372036854775808,"f":0.1,"g":100000000000000000000.0,"h":1.5e-7},"fingerprint_fields":["big","neg","f","g","h"]})j",
     "a253b470f5a520a4dad87fc37ea46bb78f9a00e0d765585974a04a6ea5f6bb97",
     R"j({"big":123456789012345678,"neg":-9223372036854775808,"f":0.1,"g":1e+20,"h":1.5e-07})j"},
    {R"j({"asset":{"ip":"192.0.2.1"},"source":"scanner","type":"a.b","severity":"info","title":"t","evidence":{"user":"u","password_present":true,"a":{"b":{"c":[1,{"d":"e"}]}}},"fingerprint_fields":["user","password_present"]})j",
     "d23e6acb7a13faa21f753c378e643be35fba7df23ed68426876b9813894c4ef5",
     R"j({"user":"u","password_present":true,"a":{"b":{"c":[1,{"d":"e"}]}}})j"},
    {R"j({"asset":{"ip":"192.0.2.1"},"source":"scanner","type":"a.b","severity":"info","title":"t","evidence":{"x":"\u00e9\u4e2d\ud83d\ude00"},"fingerprint_fields":["x","\u00e9"]})j",
     "4c92def178ec8713dd2e78bedc5e05a1b782d9bb11525e2d48fb1c35327ecff8", R"j({"x":"é中😀"})j"},
    // Control characters, DEL, escaped slashes, doubles in simdjson's
    // format, big unsigned, nested empties, an escaped key.
    {R"j({"asset":{"ip":"192.0.2.9"},"source":"sensor","type":"net.x","severity":"low","title":"t","evidence":{"c":"\u0000\u001f\u007f\b\f\r/\/","k\u0001":[-1,0,3.0e10,-2.5E-3,12345678901234567890,[],{},[[null]]],"e":"","big":1.7976931348623157e308},"fingerprint_fields":["k\u0001","c","big"]})j",
     "6cbcfc1a4b4a991e36668d0e31324dcff0b11a6ee3035bd6a241ff1bce8349fa",
     "{\"c\":\"\\u0000\\u001f\x7f\\b\\f\\r//\",\"k\\u0001\":[-1,0,30000000000.0,-0.0025,"
     "12345678901234567890,[],{},[[null]]],\"e\":\"\",\"big\":1.7976931348623157e+308}"},
    // No key fields: the same id as the line without any (two lines above).
    {R"j({"asset":{"ip":"192.0.2.1"},"source":"scanner","type":"a.b","severity":"info","title":"t","evidence":{},"fingerprint_fields":[]})j",
     "b72f72722aecae02c27b3f1eb3bc0c6afe9cd09cf40ac367ac8c12d14dc92a7a", "{}"},
};

}  // namespace

TEST_CASE("import ids and evidence text never change", "[finding][import]") {
  ImportReader reader;
  for (const auto& fx : kFixed) {
    INFO(fx.line);
    auto got = reader.read(fx.line, "acme", 5000);
    REQUIRE(got.ok());
    CHECK(got->finding.id == fx.id);
    CHECK(got->evidence_json == fx.evidence);
    // The nlohmann path computes the same id.
    auto want = slow(fx.line, "acme", 5000);
    REQUIRE(want.ok());
    CHECK(want->id == fx.id);
    CHECK(fingerprint(*want) == fx.id);
  }
}

TEST_CASE("a recycled ImportedFinding reads like a fresh one", "[finding][import]") {
  // Rich lines (every optional field, several references and key fields, a
  // slow-path line with a secret) before and after minimal ones: nothing of
  // one line may leak into the next.
  std::vector<std::string> lines = {
      kGood,
      R"({"schema_version":1,"id":"abc","tenant":"acme","asset":{"mac":"AA:BB:CC:00:11:22",)"
      R"("hostname":"h","host_id":"x","ip":"1.1.1.1"},"source":"sensor","type":"net.scan.tcp_syn",)"
      R"("severity":"low","title":"x","description":"long description, longer than SSO",)"
      R"("confidence":0.25,"count":7,"status":"acknowledged","first_seen":"2026-11-01T00:00:00Z",)"
      R"("references":[{"framework":"a","id":"1"},{"framework":"b","id":"2"},{"framework":"c","id":"3"}],)"
      R"("evidence":{"p":"q","r":[1,2]},"fingerprint_fields":["p","r","s"]})",
      R"({"asset":{"ip":"1.2.3.4"},"source":"sensor","type":"net.auth.cleartext.ftp",)"
      R"("severity":"high","title":"t","evidence":{"user":"u","password":"p"},"fingerprint_fields":["user"]})",
      R"({"asset":{"hostname":"only"},"source":"mapper","type":"a.b","severity":"info","title":"m"})"};
  for (const auto& fx : kFixed) lines.push_back(fx.line);
  ImportReader reader;
  ImportedFinding out;
  for (std::size_t round = 0; round < 3; ++round)
    for (std::size_t i = 0; i < lines.size(); ++i) {
      // Each round visits the lines in another order.
      const std::string& line = lines[(i * (round + 1) + round) % lines.size()];
      INFO(line);
      auto fresh = reader.read(line, "acme", 5000);
      REQUIRE(fresh.ok());
      REQUIRE(reader.read(line, "acme", 5000, out).ok());
      CHECK(out.evidence_json == fresh->evidence_json);
      CHECK(to_json(out.finding) == to_json(fresh->finding));
      CHECK(out.finding.evidence == json::object());
    }
  // A bad line reports its error; the next good one still reads cleanly.
  auto bad = reader.read("[1]", "acme", 5000, out);
  REQUIRE(!bad.ok());
  CHECK(bad.error().what == slow("[1]", "acme", 5000).error().what);
  REQUIRE(reader.read(lines[3], "acme", 5000, out).ok());
  auto fresh = reader.read(lines[3], "acme", 5000);
  REQUIRE(fresh.ok());
  CHECK(to_json(out.finding) == to_json(fresh->finding));
}

TEST_CASE("is_secret_key matches the words anywhere, in any case", "[finding][import]") {
  // The plain definition the one-pass matcher replaced.
  auto reference = [](std::string_view k) {
    std::string l(k);
    for (auto& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view w : {"password", "passwd", "passphrase", "secret", "token",
                               "authorization", "cookie", "private_key", "credential"})
      if (l.find(w) != std::string::npos) return true;
    return l == "pass" || l == "pwd";
  };
  const std::vector<std::string> words = {
      "password",  "passwd",      "passphrase",   "secret",       "token", "authorization",
      "cookie",    "private_key", "credential",   "pass",         "pwd",   "passwor",
      "passw",     "pas",         "passphras",    "secre",        "toke",  "cooki",
      "credentia", "private",     "authorizatio", "user",         "path",  "community_id",
      "flow_id",   "PassWord",    "TOKEN",        "x-Auth-Token", "",      "ppassword",
      "ssecret",   "pass_word"};
  std::size_t secret = 0;
  for (const auto& w : words)
    for (const std::string& k : {w, "a" + w, w + "_x", "pp" + w + "pp", w + w}) {
      INFO(k);
      CHECK(is_secret_key(k) == reference(k));
      secret += reference(k);
    }
  CHECK(secret > 40);  // the list does exercise both answers
  const std::string long_key = std::string(100, 'x') + "Cookie";
  CHECK(is_secret_key(long_key));
  CHECK(!is_secret_key(std::string(100, 'p')));
}

TEST_CASE("import_files stores what a fresh reader reads, batch after recycled batch",
          "[finding][import]") {
  // Lines of different shapes in turn, many more than the pipeline's batches
  // in flight: every recycled finding is refilled by lines unlike its last one.
  std::vector<std::string> lines;
  for (int i = 0; i < 3000; ++i) {
    const std::string n = std::to_string(i);
    const std::string ip = "10.2." + std::to_string(i / 250) + "." + std::to_string(i % 250);
    switch (i % 5) {  // not a divisor of the batch size: a slot sees every shape
      case 0:
        lines.push_back(R"({"asset":{"ip":")" + ip + R"(","hostname":"H)" + n +
                        R"(.Example.Org","mac":"AA:BB:CC:DD:EE:FF"},"source":"scanner",)"
                        R"("type":"host.cert.expiring","severity":"high","confidence":0.5,)"
                        R"("title":"A title long enough to need the heap )" +
                        n +
                        R"(","description":"and a description that does as well",)"
                        R"("evidence":{"path":"/etc/f)" +
                        n + R"(","n":)" + n +
                        R"(,"list":[1,"two",null]},)"
                        R"("fingerprint_fields":["path","n","absent"],)"
                        R"("references":[{"framework":"a","id":"1"},{"framework":"b","id":"2"}],)"
                        R"("first_seen":"2026-11-01T00:00:00Z","count":3,"status":"resolved"})");
        break;
      case 1:
        lines.push_back(R"({"asset":{"hostname":"h)" + n +
                        R"("},"source":"sensor","type":"a.b","severity":"low","title":"t"})");
        break;
      case 2:  // a secret: the slow path
        lines.push_back(R"({"asset":{"host_id":"id-)" + n +
                        R"("},"source":"mapper","type":"a.c","severity":"info","title":"s",)"
                        R"("evidence":{"token":"x","k":)" +
                        n + R"(},"fingerprint_fields":["k"]})");
        break;
      default:  // 3 and 4
        lines.push_back(R"({"asset":{"ip":")" + ip +
                        R"("},"source":"sensor","type":"a.d","severity":"critical","title":"u",)"
                        R"("evidence":{"k":")" +
                        n + R"("},"fingerprint_fields":["k"],"references":[]})");
    }
  }
  test::TempDir d("import-recycle");
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  test::write_file(d.str("f.jsonl"), text);
  auto s = store::FindingStore::open(d.str("f.db"));
  REQUIRE(s.ok());
  auto r = store::import_files(**s, {d.str("f.jsonl")}, "acme", 5000);
  REQUIRE(r.ok());
  CHECK(r->added == lines.size());
  CHECK(*(*s)->count("acme") == static_cast<std::int64_t>(lines.size()));
  ImportReader reader;
  for (const auto& l : lines) {
    auto want = reader.read(l, "acme", 5000);
    REQUIRE(want.ok());
    auto got = (*s)->get("acme", want->finding.id);
    REQUIRE(got.ok());
    REQUIRE(got->has_value());
    Finding w = want->finding;
    w.evidence = json::parse(want->evidence_json);
    INFO(l);
    CHECK(to_json(**got) == to_json(w));
  }
}

TEST_CASE("a padded line parses in place, whatever bytes follow it", "[finding][import]") {
  std::vector<std::string> lines = {kGood, R"({"asset":{"ip":"1.2.3.4"},"title":"t",)"};
  for (const auto& fx : kFixed) lines.push_back(fx.line);
  lines.push_back(kFixed[0].line.substr(0, kFixed[0].line.size() - 1));  // no closing brace
  ImportReader reader;
  ImportedFinding out;
  for (const std::string& tail : {std::string(64, '}'), std::string(64, ' '), std::string(64, '\0'),
                                  std::string("]}\"1234567890,") + std::string(50, '"')}) {
    for (const auto& line : lines) {
      INFO(line);
      const std::string buf = line + tail;
      auto want = reader.read(line, "acme", 5000);
      auto got = reader.read(std::string_view(buf.data(), line.size()), "acme", 5000, out, true);
      REQUIRE(got.ok() == want.ok());
      if (!want.ok()) {
        CHECK(got.error().what == want.error().what);
        continue;
      }
      CHECK(out.evidence_json == want->evidence_json);
      CHECK(to_json(out.finding) == to_json(want->finding));
    }
  }
}

TEST_CASE("SHA-256 hex digests: known answers, every way of asking", "[finding][import]") {
  // FIPS 180-2 examples.
  const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  const std::string empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  CHECK(sha256_hex("abc") == abc);
  CHECK(sha256_hex("") == empty);
  std::string out = "left over from an earlier digest, longer than sixty-four characters ....";
  sha256_hex("abc", out);
  CHECK(out == abc);
  sha256_hex("", out);
  CHECK(out == empty);
  Sha256 h;
  h.update("a");
  h.update("bc");
  CHECK(h.hex() == abc);
  const std::uint8_t bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  CHECK(to_hex(bytes) == "000fa5ff");
}

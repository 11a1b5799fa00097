// valid_utf8: what nlohmann accepts in a string it dumps (a tenant, a note).
#include <catch2/catch.hpp>

#include "core/store/finding_store.h"
#include "core/store/import_files.h"
#include "core/util/json_text.h"
#include "tests/support/tmpdir.h"

using vigil::valid_utf8;

TEST_CASE("valid_utf8: RFC 3629, no overlongs, surrogates or code points past U+10FFFF") {
  CHECK(valid_utf8(""));
  CHECK(valid_utf8("acme-01"));
  CHECK(valid_utf8("z\xc3\xa9"));              // é
  CHECK(valid_utf8("\xe2\x82\xac"));           // €
  CHECK(valid_utf8("\xf0\x9f\x94\x92 lock"));  // U+1F512
  CHECK_FALSE(
      valid_utf8("ab\xff"
                 "cd"));
  CHECK_FALSE(valid_utf8("z\xc3"));             // cut short
  CHECK_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(valid_utf8("\xed\xa0\x80"));      // a surrogate
  CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(
      valid_utf8("\xe2\x82"
                 "a"));  // bad continuation
}

TEST_CASE("an import for a tenant that is not UTF-8 is refused, not a crash") {
  vigil::test::TempDir d("utf8-tenant");
  const std::string file = d.str("one.jsonl");
  vigil::test::write_file(
      file,
      R"({"asset":{"ip":"10.0.0.1"},"source":"sensor","type":"x.y","severity":"high","title":"t"})"
      "\n");
  auto s = vigil::store::FindingStore::open(d.str("f.db"));
  REQUIRE(s.ok());
  auto r = vigil::store::import_files(**s, {file},
                                      "ab\xff"
                                      "cd",
                                      0, nullptr);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().what == "the tenant is not valid UTF-8");
  CHECK(*(*s)->count("ab\xff"
                     "cd") == 0);
}

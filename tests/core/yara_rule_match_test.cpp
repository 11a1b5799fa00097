// describe_rule: what the sensor and the file scanner report about a matching
// YARA rule, checked against what libyara compiled and the yara CLI prints.
#include <catch2/catch.hpp>

#include "core/yara/rule_match.h"
#include "tests/support/tmpdir.h"
// After nlohmann: libyara defines macros that collide with its lexer.
#include <yara.h>

using namespace vigil;

namespace {

int collect(YR_SCAN_CONTEXT*, int message, void* data, void* user) {
  if (message == CALLBACK_MSG_RULE_MATCHING)
    static_cast<std::vector<core::yara::RuleMatch>*>(user)->push_back(
        core::yara::describe_rule(static_cast<const YR_RULE*>(data)));
  return CALLBACK_CONTINUE;
}

}  // namespace

TEST_CASE("describe_rule: identifier, namespace, tags, first value of each meta") {
  const std::string source = R"(
rule plain { condition: true }
rule tagged : t1 t2 {
  meta:
    author = "x"
    author = "y"
    weight = 7
    active = true
  condition: true
}
rule never { condition: false }
)";
  REQUIRE(yr_initialize() == ERROR_SUCCESS);
  YR_COMPILER* compiler = nullptr;
  REQUIRE(yr_compiler_create(&compiler) == ERROR_SUCCESS);
  REQUIRE(yr_compiler_add_string(compiler, source.c_str(), nullptr) == 0);
  REQUIRE(yr_compiler_add_string(compiler, "rule other { condition: true }", "ns2") == 0);
  YR_RULES* rules = nullptr;
  REQUIRE(yr_compiler_get_rules(compiler, &rules) == ERROR_SUCCESS);
  std::vector<core::yara::RuleMatch> got;
  const std::string data = "any bytes";
  REQUIRE(yr_rules_scan_mem(rules, reinterpret_cast<const std::uint8_t*>(data.data()), data.size(),
                            0, collect, &got, 0) == ERROR_SUCCESS);
  yr_rules_destroy(rules);
  yr_compiler_destroy(compiler);
  yr_finalize();

  REQUIRE(got.size() == 3);
  CHECK(got[0].rule == "plain");
  CHECK(got[0].ns == "default");  // no namespace given
  CHECK(got[0].tags.empty());
  CHECK(got[0].meta == nlohmann::json::object());
  CHECK(got[1].rule == "tagged");
  CHECK(got[1].tags == std::vector<std::string>{"t1", "t2"});
  CHECK(got[1].meta == nlohmann::json{{"author", "x"}, {"weight", 7}, {"active", true}});
  CHECK(got[2].rule == "other");
  CHECK(got[2].ns == "ns2");

  // The yara CLI lists the same tags and, first, the same meta values.
  test::TempDir d("yara-describe");
  test::write_file(d.str("r.yar"), source);
  test::write_file(d.str("f"), data);
  auto cli = test::run("yara -m -g " + d.str("r.yar") + " " + d.str("f"));
  REQUIRE(cli.exit_code == 0);
  // (yara 4.2 prints integer metas as "weight =7".)
  CHECK(cli.out.find("tagged [t1,t2] [author=\"x\",author=\"y\",weight") != std::string::npos);
  CHECK(cli.out.find("active=true]") != std::string::npos);
  CHECK(cli.out.find("never") == std::string::npos);
}

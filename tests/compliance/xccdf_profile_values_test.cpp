// Profile `extends` chains and cycles, and XCCDF 1.2 complex-value exported as a
// multi-valued OVAL external variable. oscap 1.3.7 cannot evaluate complex-value (it
// reports "Attempt to get non-existent selector" and every rule using it `unknown`), so
// the expected results here are the spec's (docs/oval-semantics.md "complex-value").
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "compliance/ds/content.h"
#include "compliance/results/session.h"
#include "compliance/xccdf/policy.h"

namespace {

namespace vc = vigil::compliance;
namespace fs = std::filesystem;

std::string dir() {
  const std::string d = std::string(VIGIL_TEST_TMP) + "/compliance-profile-values";
  fs::create_directories(d);
  return d;
}

// def:3 / def:2: the exported list has 3 / 2 values (count); def:4: one value is "y".
const char* kOval = R"(<?xml version="1.0"?>
<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5" xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
<generator><oval:schema_version>5.11</oval:schema_version><oval:timestamp>2024-01-01T00:00:00</oval:timestamp></generator>
<definitions>
<definition class="compliance" id="oval:x:def:3" version="1"><metadata><title>3</title><description>d</description></metadata><criteria><criterion test_ref="oval:x:tst:3"/></criteria></definition>
<definition class="compliance" id="oval:x:def:2" version="1"><metadata><title>2</title><description>d</description></metadata><criteria><criterion test_ref="oval:x:tst:2"/></criteria></definition>
<definition class="compliance" id="oval:x:def:4" version="1"><metadata><title>y</title><description>d</description></metadata><criteria><criterion test_ref="oval:x:tst:4"/></criteria></definition>
</definitions>
<tests>
<ind:variable_test id="oval:x:tst:3" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:6"/><ind:state state_ref="oval:x:ste:3"/></ind:variable_test>
<ind:variable_test id="oval:x:tst:2" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:6"/><ind:state state_ref="oval:x:ste:2"/></ind:variable_test>
<ind:variable_test id="oval:x:tst:4" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:5"/><ind:state state_ref="oval:x:ste:4"/></ind:variable_test>
</tests>
<objects>
<ind:variable_object id="oval:x:obj:6" version="1"><ind:var_ref>oval:x:var:2</ind:var_ref></ind:variable_object>
<ind:variable_object id="oval:x:obj:5" version="1"><ind:var_ref>oval:x:var:1</ind:var_ref></ind:variable_object>
</objects>
<states>
<ind:variable_state id="oval:x:ste:3" version="1"><ind:value datatype="int">3</ind:value></ind:variable_state>
<ind:variable_state id="oval:x:ste:2" version="1"><ind:value datatype="int">2</ind:value></ind:variable_state>
<ind:variable_state id="oval:x:ste:4" version="1"><ind:value entity_check="at least one">y</ind:value></ind:variable_state>
</states>
<variables>
<external_variable id="oval:x:var:1" version="1" datatype="string" comment="the Value's items"/>
<local_variable id="oval:x:var:2" version="1" datatype="int" comment="how many"><count><variable_component var_ref="oval:x:var:1"/></count></local_variable>
</variables>
</oval_definitions>
)";

std::string rule(const char* id, const char* def) {
  return std::string("<Rule id=\"xccdf_t_rule_") + id + "\"><title>" + id +
         "</title><check system=\"http://oval.mitre.org/XMLSchema/oval-definitions-5\">"
         "<check-export value-id=\"xccdf_t_value_list\" export-name=\"oval:x:var:1\"/>"
         "<check-content-ref href=\"values-oval.xml\" name=\"" +
         def + "\"/></check></Rule>\n";
}

std::string benchmark(const std::string& profiles) {
  return R"(<?xml version="1.0"?>
<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_t_benchmark_values" resolved="1">
<status>draft</status><title>values</title><version>1</version>
)" + profiles +
         R"(<Value id="xccdf_t_value_list" type="string"><title>list</title>
  <complex-value><item>a</item><item>b</item><item>c</item></complex-value>
  <complex-value selector="two"><item>x</item><item>y</item></complex-value>
  <value selector="one">y</value>
</Value>
)" + rule("three", "oval:x:def:3") +
         rule("two", "oval:x:def:2") + rule("has_y", "oval:x:def:4") + "</Benchmark>\n";
}

std::map<std::string, std::string> results(const std::string& bench, const std::string& profile) {
  vc::EvalOptions o;
  o.benchmark = bench;
  o.profile = profile;
  o.root = "/";
  auto s = vc::run_eval(o);
  REQUIRE(s.ok());
  std::map<std::string, std::string> m;
  for (const auto& r : (*s)->result.rules)
    m[r.rule_id.substr(std::string("xccdf_t_rule_").size())] = std::string(to_string(r.result));
  return m;
}

}  // namespace

TEST_CASE("xccdf: complex-value items become a multi-valued OVAL external variable", "[xccdf]") {
  std::ofstream(dir() + "/values-oval.xml") << kOval;
  const std::string bench = dir() + "/values.xml";
  std::ofstream(bench) << benchmark(R"(
<Profile id="xccdf_t_profile_two"><title>two</title><refine-value idref="xccdf_t_value_list" selector="two"/></Profile>
<Profile id="xccdf_t_profile_child" extends="xccdf_t_profile_two"><title>child</title></Profile>
<Profile id="xccdf_t_profile_one" extends="xccdf_t_profile_child"><title>one</title><refine-value idref="xccdf_t_value_list" selector="one"/></Profile>
<Profile id="xccdf_t_profile_set" extends="xccdf_t_profile_two"><title>set</title><set-value idref="xccdf_t_value_list">z</set-value></Profile>
<Profile id="xccdf_t_profile_cset" extends="xccdf_t_profile_two"><title>cset</title><set-complex-value idref="xccdf_t_value_list"><item>p</item><item>q</item><item>y</item></set-complex-value></Profile>
<Profile id="xccdf_t_profile_cset_set" extends="xccdf_t_profile_cset"><title>cset then set</title><set-value idref="xccdf_t_value_list">z</set-value></Profile>
<Profile id="xccdf_t_profile_set_cset" extends="xccdf_t_profile_set"><title>set then cset</title><set-complex-value idref="xccdf_t_value_list"><item>w</item><item>y</item></set-complex-value></Profile>
)");
  using M = std::map<std::string, std::string>;
  // Default: the complex-value without selector, a, b, c.
  CHECK(results(bench, "") == M{{"three", "pass"}, {"two", "fail"}, {"has_y", "fail"}});
  // refine-value selector="two": x, y; inherited through an extends chain.
  CHECK(results(bench, "two") == M{{"three", "fail"}, {"two", "pass"}, {"has_y", "pass"}});
  CHECK(results(bench, "child") == M{{"three", "fail"}, {"two", "pass"}, {"has_y", "pass"}});
  // A selector naming a plain <value>, and set-value, give one value.
  CHECK(results(bench, "one") == M{{"three", "fail"}, {"two", "fail"}, {"has_y", "pass"}});
  CHECK(results(bench, "set") == M{{"three", "fail"}, {"two", "fail"}, {"has_y", "fail"}});
  // set-complex-value: the profile's own items (p, q, y), overriding the selector it inherits;
  // a derived profile's set-value replaces them, and a set-complex-value replaces a set-value.
  CHECK(results(bench, "cset") == M{{"three", "pass"}, {"two", "fail"}, {"has_y", "pass"}});
  CHECK(results(bench, "cset_set") == M{{"three", "fail"}, {"two", "fail"}, {"has_y", "fail"}});
  CHECK(results(bench, "set_cset") == M{{"three", "fail"}, {"two", "pass"}, {"has_y", "pass"}});
}

TEST_CASE("xccdf: an extends cycle is refused naming every profile on it", "[xccdf]") {
  const std::string bench = dir() + "/cycle.xml";
  std::ofstream(dir() + "/values-oval.xml") << kOval;
  std::ofstream(bench) << benchmark(R"(
<Profile id="xccdf_t_profile_a" extends="xccdf_t_profile_c"><title>a</title></Profile>
<Profile id="xccdf_t_profile_b" extends="xccdf_t_profile_a"><title>b</title></Profile>
<Profile id="xccdf_t_profile_c" extends="xccdf_t_profile_b"><title>c</title></Profile>
<Profile id="xccdf_t_profile_top" extends="xccdf_t_profile_b"><title>top</title></Profile>
<Profile id="xccdf_t_profile_self" extends="xccdf_t_profile_self"><title>self</title></Profile>
<Profile id="xccdf_t_profile_ok"><title>ok</title></Profile>
)");
  auto c = vc::Content::load(bench);
  REQUIRE(c.ok());
  const auto& b = (*c)->benchmark();
  auto top = vc::Policy::make(b, "top");
  REQUIRE_FALSE(top.ok());
  CHECK(top.error().str().find("xccdf_t_profile_top") != std::string::npos);
  CHECK(top.error().str().find("extends cycle: xccdf_t_profile_b -> xccdf_t_profile_a -> "
                               "xccdf_t_profile_c -> xccdf_t_profile_b") != std::string::npos);
  auto self = vc::Policy::make(b, "self");
  REQUIRE_FALSE(self.ok());
  CHECK(self.error().str().find("extends cycle: xccdf_t_profile_self -> xccdf_t_profile_self") !=
        std::string::npos);
  CHECK(vc::Policy::make(b, "ok").ok());
}

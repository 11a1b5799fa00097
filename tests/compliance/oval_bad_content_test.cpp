// Hostile or broken OVAL content gives a clear error (file:line) or error results,
// never a crash or a hang.
#include <catch2/catch.hpp>

#include "compliance/oval/loader.h"
#include "tests/compliance/oval_test_util.h"

namespace ov = vigil::compliance::oval;
using namespace oval_test;

namespace {

const std::string kOneTest = doc(
    def("oval:x:def:1", "<criteria><criterion test_ref=\"oval:x:tst:1\"/></criteria>"),
    R"(<ind:family_test id="oval:x:tst:1" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:1"/></ind:family_test>)",
    R"(<ind:family_object id="oval:x:obj:1" version="1"/>)");

}  // namespace

TEST_CASE("oval: a well-formed minimal document loads and evaluates", "[oval]") {
  auto r = eval(kOneTest, "oval:x:def:1", root_dir("ok"));
  CHECK(r.result == ov::OvalResult::kTrue);
}

TEST_CASE("oval: malformed XML is an error with file, line and offset", "[oval]") {
  std::string bad = kOneTest;
  bad.replace(bad.find("</tests>"), 8, "</testz>");
  auto d = ov::load_buffer(bad, "broken.xml");
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().where.rfind("broken.xml:", 0) == 0);
  CHECK(d.error().where != "broken.xml:1");
  CHECK(d.error().what.find("malformed XML at offset") != std::string::npos);
}

TEST_CASE("oval: DOCTYPE and entity declarations are refused", "[oval]") {
  std::string xml = kOneTest;
  xml.insert(xml.find("<oval_definitions"),
             "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>\n");
  auto d = ov::load_buffer(xml, "ent.xml");
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().what.find("DOCTYPE") != std::string::npos);
}

TEST_CASE("oval: a dangling reference is named", "[oval]") {
  std::string xml = kOneTest;
  xml.replace(xml.find("object_ref=\"oval:x:obj:1\""), 25, "object_ref=\"oval:x:obj:9\"");
  auto d = ov::load_buffer(xml, "dangling.xml");
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().what.find("oval:x:obj:9") != std::string::npos);
  CHECK(d.error().what.find("dangling reference") != std::string::npos);
}

TEST_CASE("oval: 200,000-deep nesting is refused without crashing", "[oval]") {
  std::string deep;
  deep.reserve(200000 * 24);
  for (int i = 0; i < 200000; ++i) deep += "<criteria operator=\"AND\">";
  for (int i = 0; i < 200000; ++i) deep += "</criteria>";
  std::string xml = doc(def("oval:x:def:1", deep), "", "");
  auto d = ov::load_buffer(xml, "deep.xml");
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().what.find("nesting deeper than") != std::string::npos);
}

TEST_CASE("oval: an unknown test/object type is 'not evaluated' with the reason", "[oval]") {
  std::string xml = doc(
      def("oval:x:def:1", "<criteria><criterion test_ref=\"oval:x:tst:1\"/></criteria>"),
      R"(<ind:ldap57_test id="oval:x:tst:1" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:1"/></ind:ldap57_test>)",
      R"(<ind:ldap57_object id="oval:x:obj:1" version="1"><ind:suffix>dc=x</ind:suffix></ind:ldap57_object>)");
  auto r = eval(xml, "oval:x:def:1", root_dir("unknown"));
  CHECK(r.result == ov::OvalResult::kNotEvaluated);
  REQUIRE(r.tests.size() == 1);
  REQUIRE_FALSE(r.tests[0].messages.empty());
  CHECK(r.tests[0].messages[0].find("ldap57_object") != std::string::npos);
}

TEST_CASE("oval: unknown operation / datatype names are refused by name", "[oval]") {
  std::string xml = doc(
      def("oval:x:def:1", "<criteria><criterion test_ref=\"oval:x:tst:1\"/></criteria>"),
      R"(<ind:family_test id="oval:x:tst:1" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:1"/></ind:family_test>)",
      R"(<ind:family_object id="oval:x:obj:1" version="1"/><ind:variable_object id="oval:x:obj:2" version="1"><ind:var_ref operation="roughly equals">v</ind:var_ref></ind:variable_object>)");
  auto d = ov::load_buffer(xml, "op.xml");
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().what.find("roughly equals") != std::string::npos);
}

TEST_CASE("oval: a catastrophic (ReDoS) pattern yields an error result, not a hang", "[oval]") {
  std::string root = root_dir("redos");
  put(root, "/etc/redos.conf", std::string(40, 'a') + "!\n");
  std::string xml = doc(
      def("oval:x:def:1", "<criteria><criterion test_ref=\"oval:x:tst:1\"/></criteria>"),
      R"(<ind:textfilecontent54_test id="oval:x:tst:1" version="1" check="all" check_existence="at_least_one_exists" comment="c"><ind:object object_ref="oval:x:obj:1"/></ind:textfilecontent54_test>)",
      R"(<ind:textfilecontent54_object id="oval:x:obj:1" version="1"><ind:filepath>/etc/redos.conf</ind:filepath><ind:pattern operation="pattern match">^(a+)+$</ind:pattern><ind:instance datatype="int" operation="greater than or equal">1</ind:instance></ind:textfilecontent54_object>)");
  auto r = eval(xml, "oval:x:def:1", root);
  CHECK(r.result == ov::OvalResult::kError);
  REQUIRE(r.tests.size() == 1);
  REQUIRE_FALSE(r.tests[0].items.empty());
  CHECK(r.tests[0].items[0].message.find("match") != std::string::npos);
}

TEST_CASE("oval: an invalid regular expression is an error result", "[oval]") {
  std::string root = root_dir("badre");
  put(root, "/etc/x.conf", "a\n");
  std::string xml = doc(
      def("oval:x:def:1", "<criteria><criterion test_ref=\"oval:x:tst:1\"/></criteria>"),
      R"(<ind:textfilecontent54_test id="oval:x:tst:1" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:1"/></ind:textfilecontent54_test>)",
      R"(<ind:textfilecontent54_object id="oval:x:obj:1" version="1"><ind:filepath>/etc/x.conf</ind:filepath><ind:pattern operation="pattern match">([unclosed</ind:pattern><ind:instance datatype="int">1</ind:instance></ind:textfilecontent54_object>)");
  CHECK(eval(xml, "oval:x:def:1", root).result == ov::OvalResult::kError);
}

TEST_CASE("oval: an unknown definition id is an error with a message", "[oval]") {
  auto r = eval(kOneTest, "oval:x:def:404", root_dir("ok2"));
  CHECK(r.result == ov::OvalResult::kError);
  CHECK(r.message.find("oval:x:def:404") != std::string::npos);
}

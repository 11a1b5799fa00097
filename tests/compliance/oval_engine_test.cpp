// OVAL semantics on small inline documents: criteria logic, tests/states, variables and
// their functions, sets and filters, external variables, facts round trip.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "tests/compliance/oval_test_util.h"

namespace ov = vigil::compliance::oval;
using namespace oval_test;
using R = ov::OvalResult;

namespace {

const char* kFamilyTrue =
    R"(<ind:family_test id="oval:x:tst:true" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:fam"/></ind:family_test>)";
const char* kMissingFile =
    R"(<unix:file_test id="oval:x:tst:false" version="1" check="all" comment="c"><unix:object object_ref="oval:x:obj:nofile"/></unix:file_test>)";
const char* kObjs =
    R"(<ind:family_object id="oval:x:obj:fam" version="1"/><unix:file_object id="oval:x:obj:nofile" version="1"><unix:filepath>/no/such/file</unix:filepath></unix:file_object>)";

R criteria_result(const std::string& criteria) {
  std::string xml =
      doc(def("oval:x:def:1", criteria) +
              def("oval:x:def:t", "<criteria><criterion test_ref=\"oval:x:tst:true\"/></criteria>"),
          std::string(kFamilyTrue) + kMissingFile, kObjs);
  return eval(xml, "oval:x:def:1", root_dir("criteria")).result;
}

// Values of local variable `var_xml` (id oval:x:var:1), through a variable_object.
std::vector<std::string> values_of(const std::string& var_xml,
                                   const std::string& extra_objects = "",
                                   const std::string& root = "") {
  std::string xml = doc(
      def("oval:x:def:1", "<criteria><criterion test_ref=\"oval:x:tst:1\"/></criteria>"),
      R"(<ind:variable_test id="oval:x:tst:1" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:v"/></ind:variable_test>)",
      R"(<ind:variable_object id="oval:x:obj:v" version="1"><ind:var_ref>oval:x:var:1</ind:var_ref></ind:variable_object>)" +
          extra_objects,
      "", var_xml);
  auto r = eval(xml, "oval:x:def:1", root.empty() ? root_dir("vars") : root);
  std::vector<std::string> out;
  for (const auto& t : r.tests)
    for (const auto& it : t.items)
      for (const auto& [k, v] : it.fields)
        if (k == "value") out.push_back(v);
  return out;
}

std::string local(const std::string& body, const char* dt = "string") {
  return std::string(
             "<local_variable id=\"oval:x:var:1\" version=\"1\" comment=\"c\" datatype=\"") +
         dt + "\">" + body + "</local_variable>";
}

}  // namespace

TEST_CASE("oval: criteria operators, negate and extend_definition", "[oval]") {
  const std::string t = "<criterion test_ref=\"oval:x:tst:true\"/>";
  const std::string f = "<criterion test_ref=\"oval:x:tst:false\"/>";
  CHECK(criteria_result("<criteria>" + t + f + "</criteria>") == R::kFalse);
  CHECK(criteria_result("<criteria operator=\"OR\">" + t + f + "</criteria>") == R::kTrue);
  CHECK(criteria_result("<criteria operator=\"ONE\">" + t + t + "</criteria>") == R::kFalse);
  CHECK(criteria_result("<criteria operator=\"ONE\">" + t + f + "</criteria>") == R::kTrue);
  CHECK(criteria_result("<criteria operator=\"XOR\">" + t + t + t + "</criteria>") == R::kTrue);
  CHECK(criteria_result("<criteria negate=\"true\">" + t + "</criteria>") == R::kFalse);
  CHECK(criteria_result(
            "<criteria><criterion negate=\"true\" test_ref=\"oval:x:tst:false\"/></criteria>") ==
        R::kTrue);
  CHECK(criteria_result(
            "<criteria><extend_definition definition_ref=\"oval:x:def:t\"/></criteria>") ==
        R::kTrue);
  CHECK(criteria_result("<criteria><extend_definition negate=\"true\" "
                        "definition_ref=\"oval:x:def:t\"/></criteria>") == R::kFalse);
}

TEST_CASE("oval: textfilecontent54 instances, subexpressions, states and existence", "[oval]") {
  std::string root = root_dir("tfc");
  put(root, "/etc/ssh/sshd_config",
      "# comment\nPermitRootLogin no\nMaxAuthTries 4\nMaxAuthTries 6\n");
  auto make = [&](const std::string& pattern, const std::string& instance_op, const char* existence,
                  const std::string& state) {
    return doc(def("oval:x:def:1", "<criteria><criterion test_ref=\"oval:x:tst:1\"/></criteria>"),
               std::string("<ind:textfilecontent54_test id=\"oval:x:tst:1\" version=\"1\" "
                           "check=\"all\" check_existence=\"") +
                   existence + "\" comment=\"c\"><ind:object object_ref=\"oval:x:obj:1\"/>" +
                   (state.empty() ? "" : "<ind:state state_ref=\"oval:x:ste:1\"/>") +
                   "</ind:textfilecontent54_test>",
               "<ind:textfilecontent54_object id=\"oval:x:obj:1\" "
               "version=\"1\"><ind:path>/etc/ssh</ind:path>"
               "<ind:filename operation=\"pattern match\">^sshd_config$</ind:filename>"
               "<ind:pattern operation=\"pattern match\">" +
                   pattern +
                   "</ind:pattern>"
                   "<ind:instance datatype=\"int\" operation=\"" +
                   instance_op + "\">1</ind:instance></ind:textfilecontent54_object>",
               state.empty() ? ""
                             : "<ind:textfilecontent54_state id=\"oval:x:ste:1\" version=\"1\">" +
                                   state + "</ind:textfilecontent54_state>");
  };
  // Multiline is on by default: ^ anchors at every line.
  auto r = eval(make("^MaxAuthTries[ \\t]+(\\d+)$", "greater than or equal", "at_least_one_exists",
                     "<ind:subexpression datatype=\"int\" operation=\"less than or "
                     "equal\">4</ind:subexpression>"),
                "oval:x:def:1", root);
  CHECK(r.result == R::kFalse);  // the second instance (6) fails check="all"
  REQUIRE(r.tests.size() == 1);
  REQUIRE(r.tests[0].items.size() == 2);
  CHECK(r.tests[0].items[0].line == 3);
  CHECK(r.tests[0].items[1].line == 4);
  CHECK(r.tests[0].items[0].file == "/etc/ssh/sshd_config");
  // Only the first instance.
  r = eval(make("^MaxAuthTries[ \\t]+(\\d+)$", "equals", "at_least_one_exists",
                "<ind:subexpression datatype=\"int\" operation=\"less than or "
                "equal\">4</ind:subexpression>"),
           "oval:x:def:1", root);
  CHECK(r.result == R::kTrue);
  CHECK(eval(make("^PermitRootLogin[ \\t]+yes$", "greater than or equal", "none_exist", ""),
             "oval:x:def:1", root)
            .result == R::kTrue);
  CHECK(eval(make("^PermitRootLogin[ \\t]+no$", "greater than or equal", "none_exist", ""),
             "oval:x:def:1", root)
            .result == R::kFalse);
  CHECK(eval(make("^MaxAuthTries", "greater than or equal", "only_one_exists", ""), "oval:x:def:1",
             root)
            .result == R::kFalse);
}

TEST_CASE("oval: file modes, owners and a state with operator OR", "[oval]") {
  std::string root = root_dir("filemode");
  put(root, "/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
  ::chmod((root + "/etc/passwd").c_str(), 0644);
  auto run = [&](const std::string& state) {
    return eval(
               doc(def("oval:x:def:1",
                       "<criteria><criterion test_ref=\"oval:x:tst:1\"/></criteria>"),
                   R"(<unix:file_test id="oval:x:tst:1" version="1" check="all" comment="c"><unix:object object_ref="oval:x:obj:1"/><unix:state state_ref="oval:x:ste:1"/></unix:file_test>)",
                   R"(<unix:file_object id="oval:x:obj:1" version="1"><unix:filepath>/etc/passwd</unix:filepath></unix:file_object>)",
                   state),
               "oval:x:def:1", root)
        .result;
  };
  CHECK(
      run(R"(<unix:file_state id="oval:x:ste:1" version="1"><unix:uread datatype="boolean">true</unix:uread><unix:owrite datatype="boolean">false</unix:owrite><unix:user_id datatype="int">0</unix:user_id></unix:file_state>)") ==
      R::kTrue);
  CHECK(
      run(R"(<unix:file_state id="oval:x:ste:1" version="1" operator="OR"><unix:gwrite datatype="boolean">true</unix:gwrite><unix:owrite datatype="boolean">true</unix:owrite></unix:file_state>)") ==
      R::kFalse);
  CHECK(
      run(R"(<unix:file_state id="oval:x:ste:1" version="1" operator="OR"><unix:gwrite datatype="boolean">true</unix:gwrite><unix:oread datatype="boolean">true</unix:oread></unix:file_state>)") ==
      R::kTrue);
}

TEST_CASE("oval: local variable functions", "[oval]") {
  const std::string c12 =
      R"(<constant_variable id="oval:x:var:c" version="1" comment="c" datatype="string"><value>a.b</value><value>c*d</value></constant_variable>)";
  CHECK(
      values_of(
          local(
              R"(<concat><literal_component>x-</literal_component><variable_component var_ref="oval:x:var:c"/></concat>)") +
          c12) == std::vector<std::string>{"x-a.b", "x-c*d"});
  CHECK(values_of(
            local(R"(<escape_regex><variable_component var_ref="oval:x:var:c"/></escape_regex>)") +
            c12) == std::vector<std::string>{"a\\.b", "c\\*d"});
  CHECK(
      values_of(
          local(
              R"(<regex_capture pattern="^(\w)\."><variable_component var_ref="oval:x:var:c"/></regex_capture>)") +
          c12) == std::vector<std::string>{"a"});
  CHECK(
      values_of(local(
          R"(<substring substring_start="2" substring_length="2"><literal_component>umask</literal_component></substring>)")) ==
      std::vector<std::string>{"ma"});
  CHECK(values_of(local(
            R"(<split delimiter=","><literal_component>a,b,,c</literal_component></split>)")) ==
        std::vector<std::string>{"a", "b", "", "c"});
  CHECK(values_of(local(R"(<count><variable_component var_ref="oval:x:var:c"/></count>)", "int") +
                  c12) == std::vector<std::string>{"2"});
  CHECK(
      values_of(local(
          R"(<unique><literal_component>a</literal_component><literal_component>a</literal_component></unique>)")) ==
      std::vector<std::string>{"a"});
  CHECK(
      values_of(local(
          R"(<arithmetic arithmetic_operation="add"><arithmetic arithmetic_operation="multiply"><literal_component datatype="int">64</literal_component><literal_component datatype="int">0</literal_component></arithmetic><literal_component datatype="int">7</literal_component></arithmetic>)",
          "int")) == std::vector<std::string>{"7"});
  CHECK(values_of(
            local(R"(<begin character="/"><literal_component>etc</literal_component></begin>)")) ==
        std::vector<std::string>{"/etc"});
  CHECK(values_of(
            local(R"(<end character="/"><literal_component>/etc/</literal_component></end>)")) ==
        std::vector<std::string>{"/etc/"});
  CHECK(
      values_of(local(
          R"(<glob_to_regex><literal_component>/etc/*.conf</literal_component></glob_to_regex>)")) ==
      std::vector<std::string>{"^\\/etc\\/[^/]*\\.conf$"});
}

TEST_CASE("oval: object_component, sets and filters", "[oval]") {
  std::string root = root_dir("sets");
  put(root, "/etc/pw", "root:x:0:0\nalice:x:1000:1000\nbob:x:1001:1001\n");
  const std::string objs =
      R"(<ind:textfilecontent54_object id="oval:x:obj:users" version="1"><ind:filepath>/etc/pw</ind:filepath><ind:pattern operation="pattern match">^([^:]+):x:(\d+)</ind:pattern><ind:instance datatype="int" operation="greater than or equal">1</ind:instance><filter action="include">oval:x:ste:human</filter></ind:textfilecontent54_object>
<ind:textfilecontent54_object id="oval:x:obj:bob" version="1"><ind:filepath>/etc/pw</ind:filepath><ind:pattern operation="pattern match">^([^:]+):x:(\d+)</ind:pattern><ind:instance datatype="int" operation="greater than or equal">1</ind:instance><filter action="include">oval:x:ste:bob</filter></ind:textfilecontent54_object>)";
  const std::string states =
      R"(<ind:textfilecontent54_state id="oval:x:ste:human" version="1"><ind:subexpression datatype="int" operation="greater than or equal" entity_check="at least one">1000</ind:subexpression></ind:textfilecontent54_state>
<ind:textfilecontent54_state id="oval:x:ste:bob" version="1"><ind:subexpression entity_check="at least one">bob</ind:subexpression></ind:textfilecontent54_state>)";
  auto names = [&](const char* set_op) {
    std::string xml = doc(
        def("oval:x:def:1", "<criteria><criterion test_ref=\"oval:x:tst:1\"/></criteria>"),
        R"(<ind:variable_test id="oval:x:tst:1" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:v"/></ind:variable_test>)",
        objs +
            std::string(
                R"(<ind:textfilecontent54_object id="oval:x:obj:set" version="1"><set set_operator=")") +
            set_op +
            R"("><object_reference>oval:x:obj:users</object_reference><object_reference>oval:x:obj:bob</object_reference></set></ind:textfilecontent54_object>
<ind:variable_object id="oval:x:obj:v" version="1"><ind:var_ref>oval:x:var:1</ind:var_ref></ind:variable_object>)",
        states,
        local(
            R"X(<regex_capture pattern="^([^:]+)"><object_component object_ref="oval:x:obj:set" item_field="text"/></regex_capture>)X"));
    auto r = eval(xml, "oval:x:def:1", root);
    std::vector<std::string> out;
    for (const auto& t : r.tests)
      for (const auto& it : t.items)
        for (const auto& [k, v] : it.fields)
          if (k == "value") out.push_back(v);
    return out;
  };
  CHECK(names("UNION") == std::vector<std::string>{"alice", "bob"});
  CHECK(names("INTERSECTION") == std::vector<std::string>{"bob"});
  CHECK(names("COMPLEMENT") == std::vector<std::string>{"alice"});
}

TEST_CASE("oval: external variables with and without a value", "[oval]") {
  std::string root = root_dir("external");
  put(root, "/etc/login.defs", "PASS_MAX_DAYS 90\n");
  std::string xml = doc(
      def("oval:x:def:1", "<criteria><criterion test_ref=\"oval:x:tst:1\"/></criteria>"),
      R"(<ind:textfilecontent54_test id="oval:x:tst:1" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:1"/><ind:state state_ref="oval:x:ste:1"/></ind:textfilecontent54_test>)",
      R"(<ind:textfilecontent54_object id="oval:x:obj:1" version="1"><ind:filepath>/etc/login.defs</ind:filepath><ind:pattern operation="pattern match">^PASS_MAX_DAYS\s+(\d+)</ind:pattern><ind:instance datatype="int">1</ind:instance></ind:textfilecontent54_object>)",
      R"(<ind:textfilecontent54_state id="oval:x:ste:1" version="1"><ind:subexpression datatype="int" operation="less than or equal" var_ref="oval:x:var:max"/></ind:textfilecontent54_state>)",
      R"(<external_variable id="oval:x:var:max" version="1" comment="c" datatype="int"/>)");
  CHECK(eval(xml, "oval:x:def:1", root, {{"oval:x:var:max", {"365"}}}).result == R::kTrue);
  CHECK(eval(xml, "oval:x:def:1", root, {{"oval:x:var:max", {"60"}}}).result == R::kFalse);
  CHECK(eval(xml, "oval:x:def:1", root).result == R::kError);  // state var without value
}

TEST_CASE("oval: facts written by a scan replay to the same results", "[oval]") {
  std::string root = root_dir("facts");
  put(root, "/etc/ssh/sshd_config", "PermitRootLogin no\n");
  put(root, "/var/lib/dpkg/status",
      "Package: openssh-server\nStatus: install ok installed\nArchitecture: amd64\nVersion: "
      "1:8.9p1-3\n\n");
  std::string xml = doc(
      def("oval:x:def:1",
          "<criteria><criterion test_ref=\"oval:x:tst:1\"/><criterion "
          "test_ref=\"oval:x:tst:2\"/></criteria>"),
      R"(<ind:textfilecontent54_test id="oval:x:tst:1" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:1"/></ind:textfilecontent54_test>
<linux:dpkginfo_test id="oval:x:tst:2" version="1" check="all" comment="c"><linux:object object_ref="oval:x:obj:2"/><linux:state state_ref="oval:x:ste:2"/></linux:dpkginfo_test>)",
      R"(<ind:textfilecontent54_object id="oval:x:obj:1" version="1"><ind:filepath>/etc/ssh/sshd_config</ind:filepath><ind:pattern operation="pattern match">^PermitRootLogin\s+no$</ind:pattern><ind:instance datatype="int">1</ind:instance></ind:textfilecontent54_object>
<linux:dpkginfo_object id="oval:x:obj:2" version="1"><linux:name>openssh-server</linux:name></linux:dpkginfo_object>)",
      R"(<linux:dpkginfo_state id="oval:x:ste:2" version="1"><linux:evr datatype="debian_evr_string" operation="greater than or equal">1:8.9p1-1</linux:evr><linux:release>3</linux:release></linux:dpkginfo_state>)");
  auto d = ov::load_buffer(xml, "facts.xml");
  REQUIRE(d.ok());
  auto live = ov::root_source(root);
  ov::RecordingSource rec(*live, root);
  ov::Engine e1(**d, rec);
  auto r1 = e1.evaluate("oval:x:def:1");
  CHECK(r1.result == R::kTrue);
  std::string facts = root_dir("facts-out") + "/facts.json";
  REQUIRE(rec.write(facts).ok());
  std::filesystem::remove_all(root);  // the host is gone; only the facts remain
  auto src = ov::facts_source(facts);
  REQUIRE(src.ok());
  ov::Engine e2(**d, **src);
  CHECK(e2.evaluate("oval:x:def:1").result == R::kTrue);
  put(root_dir("facts-bad"), "/f.json", "{\"format\": \"something-else\"}");
  CHECK_FALSE(ov::facts_source(root_dir("facts-bad2") + "/missing.json").ok());
}

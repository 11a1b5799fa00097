// Loading XCCDF content: SSG datastreams (catalog resolution, profiles, values), standalone
// XCCDF files, tailoring, and bad content rejected with file:line and the element named.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "compliance/ds/content.h"
#include "compliance/results/session.h"
#include "compliance/xccdf/policy.h"
#include "compliance/xccdf/validate.h"

namespace {

namespace vc = vigil::compliance;
namespace fs = std::filesystem;
const std::string kSsg = "/usr/share/xml/scap/ssg/content/";

std::string write_tmp(const std::string& name, const std::string& text) {
  const std::string dir = std::string(VIGIL_TEST_TMP) + "/compliance-load";
  fs::create_directories(dir);
  const std::string p = dir + "/" + name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

const char* kHead = R"(<?xml version="1.0"?>
<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_t_benchmark_b" resolved="1">
  <status>draft</status><title>t</title><version>1</version>
)";

}  // namespace

TEST_CASE("ds: SSG Ubuntu 22.04 datastream loads with catalogs, CPE dictionary and profiles",
          "[ds]") {
  auto c = vc::Content::load(kSsg + "ssg-ubuntu2204-ds.xml");
  REQUIRE(c.ok());
  const auto& b = (*c)->benchmark();
  CHECK((*c)->is_datastream());
  CHECK((*c)->scap_version() == "1.3");
  CHECK(b.id == "xccdf_org.ssgproject.content_benchmark_UBUNTU_22-04");
  CHECK(b.rules.size() == 592);  // grep -c '<xccdf-1.2:Rule ' on the file
  CHECK(b.profiles.size() == 5);
  CHECK(b.cpe_platforms.count("machine") == 1);
  CHECK((*c)->cpe_dictionary().count("cpe:/o:canonical:ubuntu_linux:22.04::~~lts~~~") == 1);
  // check-content-ref href "ssg-ubuntu2204-oval.xml" resolves through the checklist catalog.
  auto oval = (*c)->resolve("ssg-ubuntu2204-oval.xml");
  REQUIRE(oval.ok());
  CHECK((*oval)->kind() == "oval_definitions");
  CHECK((*oval)->id == "scap_org.open-scap_comp_ssg-ubuntu2204-oval.xml");
  // The CPE dictionary's hrefs resolve through the dictionary's own catalog.
  auto cpe_oval = (*c)->resolve("ssg-ubuntu2204-cpe-oval.xml", true);
  REQUIRE(cpe_oval.ok());
  CHECK((*cpe_oval)->kind() == "oval_definitions");
  auto bad = (*c)->resolve("nope.xml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().what.find("not in the catalog") != std::string::npos);
  // The profile selects what `oscap info` counts, values are refined by selector.
  auto p = vc::Policy::make(b, "cis_level1_server");
  REQUIRE(p.ok());
  std::size_t sel = 0;
  for (const auto& [id, r] : b.rules) sel += p->rule_selected(r);
  CHECK(sel == 189);
  auto p2 = vc::Policy::make(b, "xccdf_org.ssgproject.content_profile_cis_level2_server");
  REQUIRE(p2.ok());
  auto missing = vc::Policy::make(b, "no_such_profile");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().what.find("no profile 'no_such_profile'") != std::string::npos);
  CHECK(missing.error().what.find("cis_level1_server") != std::string::npos);
  // validate: OCIL-only rules are warnings, not errors; the content is consistent.
  auto rep = vc::validate_content(**c);
  CHECK(rep.errors.empty());
}

TEST_CASE("xccdf: profiles extend, select groups and refine values and rules", "[xccdf]") {
  const std::string path = write_tmp("profiles.xml", std::string(kHead) + R"(
  <Profile id="xccdf_t_profile_base"><title>base</title>
    <select idref="xccdf_t_group_g" selected="false"/>
    <refine-value idref="xccdf_t_value_v" selector="strict"/>
  </Profile>
  <Profile id="xccdf_t_profile_child" extends="xccdf_t_profile_base"><title>child</title>
    <select idref="xccdf_t_group_g" selected="true"/>
    <select idref="cluster-a" selected="false"/>
    <refine-rule idref="xccdf_t_rule_r1" weight="7" severity="high" role="unscored"/>
  </Profile>
  <Value id="xccdf_t_value_v" type="number"><title>v</title>
    <value>10</value><value selector="strict">3</value></Value>
  <Group id="xccdf_t_group_g"><title>g</title>
    <Rule id="xccdf_t_rule_r1" severity="low"><title>r1</title></Rule>
    <Rule id="xccdf_t_rule_r2" cluster-id="cluster-a"><title>r2</title></Rule>
    <Rule id="xccdf_t_rule_r3" selected="false"><title>r3</title>
      <requires idref="xccdf_t_rule_r1"/></Rule>
  </Group>
</Benchmark>
)");
  auto c = vc::Content::load(path);
  REQUIRE(c.ok());
  const auto& b = (*c)->benchmark();
  auto base = vc::Policy::make(b, "xccdf_t_profile_base");
  REQUIRE(base.ok());
  CHECK_FALSE(base->rule_selected(b.rules.at("xccdf_t_rule_r1")));  // group unselected
  CHECK(base->value("xccdf_t_value_v") == "3");
  auto child = vc::Policy::make(b, "child");
  REQUIRE(child.ok());
  const auto& r1 = b.rules.at("xccdf_t_rule_r1");
  CHECK(child->rule_selected(r1));
  CHECK_FALSE(child->rule_selected(b.rules.at("xccdf_t_rule_r2")));  // by cluster-id
  CHECK_FALSE(child->rule_selected(b.rules.at("xccdf_t_rule_r3")));
  CHECK(child->weight(r1) == 7);
  CHECK(child->severity(r1) == "high");
  CHECK(child->role(r1) == vc::Role::kUnscored);
  CHECK(child->value("xccdf_t_value_v") == "3");  // inherited refine-value
  auto none = vc::Policy::make(b, "");
  REQUIRE(none.ok());
  CHECK(none->value("xccdf_t_value_v") == "10");
  // A tailoring profile extending a benchmark profile, with set-value.
  const std::string tpath = write_tmp("tailoring.xml", R"(<?xml version="1.0"?>
<Tailoring xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_t_tailoring_t">
  <benchmark href="profiles.xml"/><version time="2026-01-01T00:00:00">1</version>
  <Profile id="xccdf_t_profile_tailored" extends="xccdf_t_profile_child"><title>t</title>
    <set-value idref="xccdf_t_value_v">42</set-value>
    <select idref="xccdf_t_rule_r2" selected="true"/>
  </Profile>
</Tailoring>
)");
  auto t = vc::load_tailoring(tpath);
  REQUIRE(t.ok());
  auto tp = vc::Policy::make(b, "xccdf_t_profile_tailored", &*t);
  REQUIRE(tp.ok());
  CHECK(tp->from_tailoring());
  CHECK(tp->value("xccdf_t_value_v") == "42");
  CHECK(tp->rule_selected(b.rules.at("xccdf_t_rule_r2")));
  CHECK(tp->weight(r1) == 7);
}

TEST_CASE("xccdf: bad content is refused with file:line and the element named", "[xccdf]") {
  auto malformed = vc::Content::load(
      write_tmp("malformed.xml", std::string(kHead) + "\n\n<Rule id='x'>\n</Benchmark>\n"));
  REQUIRE_FALSE(malformed.ok());
  INFO(malformed.error().str());
  CHECK(malformed.error().where.find("malformed.xml:7") != std::string::npos);
  CHECK(malformed.error().what.find("malformed XML") != std::string::npos);

  auto dtd = vc::Content::load(write_tmp(
      "dtd.xml",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE Benchmark [<!ENTITY a \"aaaa\">]>\n<Benchmark/>\n"));
  REQUIRE_FALSE(dtd.ok());
  CHECK(dtd.error().what.find("DOCTYPE") != std::string::npos);

  std::string deep = "<?xml version=\"1.0\"?>\n";
  for (int i = 0; i < 200000; ++i) deep += "<a>";
  auto d = vc::Content::load(write_tmp("deep.xml", deep));  // unclosed: malformed or too deep
  REQUIRE_FALSE(d.ok());
  std::string deep2 = "<?xml version=\"1.0\"?>\n";
  for (int i = 0; i < 200000; ++i) deep2 += "<a>";
  for (int i = 0; i < 200000; ++i) deep2 += "</a>";
  auto d2 = vc::Content::load(write_tmp("deep2.xml", deep2));
  REQUIRE_FALSE(d2.ok());
  CHECK(d2.error().what.find("nested deeper") != std::string::npos);

  auto sev = vc::Content::load(write_tmp(
      "sev.xml",
      std::string(kHead) +
          "<Rule id='xccdf_t_rule_bad' severity='urgent'><title>x</title></Rule></Benchmark>"));
  REQUIRE_FALSE(sev.ok());
  CHECK(sev.error().what.find("xccdf_t_rule_bad") != std::string::npos);

  auto dup = vc::Content::load(write_tmp(
      "dup.xml",
      std::string(kHead) + "<Rule id='xccdf_t_rule_a'/>\n<Rule id='xccdf_t_rule_a'/></Benchmark>"));
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().what.find("duplicate id 'xccdf_t_rule_a'") != std::string::npos);
  CHECK(dup.error().where.find("dup.xml:5") != std::string::npos);

  // Unknown scoring model: refused by name, at validation and at evaluation.
  const std::string mp = write_tmp(
      "model.xml", std::string(kHead) +
                       "<model system='urn:xccdf:scoring:made-up'/>\n"
                       "<Rule id='xccdf_t_rule_a'><title>a</title>"
                       "<check system='urn:nope'><check-content-ref href='x.xml' name='y'/></check>"
                       "</Rule></Benchmark>");
  auto mc = vc::Content::load(mp);
  REQUIRE(mc.ok());
  auto rep = vc::validate_content(**mc);
  REQUIRE(rep.errors.size() == 2);
  CHECK(rep.errors[0].what.find("urn:xccdf:scoring:made-up") != std::string::npos);
  CHECK(rep.errors[1].what.find("rule xccdf_t_rule_a: no supported check system (urn:nope)") !=
        std::string::npos);
  vc::EvalOptions o;
  o.benchmark = mp;
  auto ev = vc::run_eval(o);
  REQUIRE_FALSE(ev.ok());
  CHECK(ev.error().what.find("unknown scoring model 'urn:xccdf:scoring:made-up'") !=
        std::string::npos);

  // Dangling check-content-ref: validate names the rule; evaluation gives `error`, not pass.
  const std::string dp = write_tmp(
      "dangling.xml", std::string(kHead) +
                          "<Rule id='xccdf_t_rule_d'><title>d</title>"
                          "<check system='http://oval.mitre.org/XMLSchema/oval-definitions-5'>"
                          "<check-content-ref href='missing-oval.xml' name='oval:x:def:1'/></check>"
                          "</Rule></Benchmark>");
  auto dc = vc::Content::load(dp);
  REQUIRE(dc.ok());
  auto drep = vc::validate_content(**dc);
  REQUIRE(drep.errors.size() == 1);
  CHECK(drep.errors[0].what.find("rule xccdf_t_rule_d: dangling check-content-ref") !=
        std::string::npos);
  o.benchmark = dp;
  auto dev = vc::run_eval(o);
  REQUIRE(dev.ok());
  REQUIRE((*dev)->result.rules.size() == 1);
  CHECK((*dev)->result.rules[0].result == vc::RuleResult::kError);
  CHECK((*dev)->result.rules[0].message.find("missing-oval.xml") != std::string::npos);
}

// Reference checks over a loaded benchmark (see validate.h). Schema validity is oscap's
// job; this finds what makes an evaluation silently wrong.
#include "compliance/xccdf/validate.h"

#include <functional>
#include <set>

#include "compliance/checks/check_engine.h"
#include "compliance/scoring/scoring.h"

namespace vigil::compliance {

ValidationReport validate_content(const Content& c) {
  ValidationReport rep;
  const Benchmark& b = c.benchmark();
  const std::string& path = c.doc().path;
  auto at = [&](int line) { return path + ":" + std::to_string(line); };
  auto exists = [&](const std::string& id) {
    if (b.item(id)) return true;
    for (const auto& [rid, r] : b.rules)
      if (r.cluster_id == id) return true;
    for (const auto& [gid, g] : b.groups)
      if (g.cluster_id == id) return true;
    return false;
  };
  for (const auto& m : b.models)
    if (!is_known_model(m)) rep.errors.push_back({path, "unknown scoring model '" + m + "'"});
  std::set<std::string> profile_ids;
  for (const auto& p : b.profiles) profile_ids.insert(p.id);
  for (const auto& p : b.profiles) {
    if (!p.extends.empty() && !profile_ids.count(p.extends))
      rep.errors.push_back(
          {at(p.line), "profile " + p.id + " extends unknown profile '" + p.extends + "'"});
    for (const auto& [idref, sel] : p.selects)
      if (!exists(idref))
        rep.errors.push_back(
            {at(p.line), "profile " + p.id + " selects unknown item '" + idref + "'"});
    for (const auto& [idref, v] : p.set_values)
      if (!b.value_items.count(idref))
        rep.errors.push_back(
            {at(p.line), "profile " + p.id + " sets unknown Value '" + idref + "'"});
    for (const auto& [idref, items] : p.set_complex_values)
      if (!b.value_items.count(idref))
        rep.errors.push_back(
            {at(p.line), "profile " + p.id + " sets unknown complex Value '" + idref + "'"});
    for (const auto& rv : p.refine_values) {
      auto vi = b.value_items.find(rv.idref);
      if (vi == b.value_items.end())
        rep.errors.push_back(
            {at(p.line), "profile " + p.id + " refines unknown Value '" + rv.idref + "'"});
      else if (!rv.selector.empty() && !vi->second.values.count(rv.selector))
        rep.warnings.push_back({at(p.line), "profile " + p.id + ": Value " + rv.idref +
                                                " has no selector '" + rv.selector +
                                                "' (default used)"});
    }
    for (const auto& rr : p.refine_rules)
      if (!exists(rr.idref))
        rep.errors.push_back(
            {at(p.line), "profile " + p.id + " refines unknown item '" + rr.idref + "'"});
  }
  auto check_platform = [&](const std::string& idref, int line, const std::string& owner) {
    if (!idref.empty() && idref[0] == '#') {
      if (!b.cpe_platforms.count(idref.substr(1)))
        rep.errors.push_back(
            {at(line), owner + ": platform " + idref + " is not in the platform-specification"});
    } else if (!c.cpe_dictionary().empty() && !c.cpe_dictionary().count(idref)) {
      rep.warnings.push_back(
          {at(line), owner + ": platform " + idref + " is not in the CPE dictionary"});
    }
  };
  for (const auto& pl : b.platforms) check_platform(pl, 0, "benchmark " + b.id);
  for (const auto& [id, g] : b.groups)
    for (const auto& pl : g.platforms) check_platform(pl, g.line, "group " + id);
  const auto systems = CheckEngines::systems();
  const std::set<std::string> known(systems.begin(), systems.end());
  for (const auto& id : b.rule_order) {
    const Rule& r = b.rules.at(id);
    for (const auto& pl : r.platforms) check_platform(pl, r.line, "rule " + id);
    for (const auto& alts : r.requires_)
      for (const auto& a : alts)
        if (!exists(a))
          rep.errors.push_back({at(r.line), "rule " + id + " requires unknown item '" + a + "'"});
    for (const auto& x : r.conflicts)
      if (!exists(x))
        rep.errors.push_back(
            {at(r.line), "rule " + id + " conflicts with unknown item '" + x + "'"});
    bool any_known = false, any_check = false;
    std::function<void(const Check&)> walk = [&](const Check& ck) {
      if (ck.complex) {
        for (const auto& sub : ck.children) walk(sub);
        return;
      }
      any_check = true;
      const bool sys_known = known.count(ck.system) > 0;
      any_known = any_known || sys_known;
      for (const auto& ex : ck.exports)
        if (!b.value_items.count(ex.value_id))
          rep.errors.push_back({at(ck.line), "rule " + id + ": check-export of unknown Value '" +
                                                 ex.value_id + "'"});
      if (!sys_known) return;
      if (ck.refs.empty() && ck.inline_content_xml.empty())
        rep.errors.push_back({at(ck.line), "rule " + id + ": check without content"});
      bool found = ck.refs.empty();
      std::string last;
      for (const auto& ref : ck.refs) {
        auto comp = c.resolve(ref.href);
        if (!comp) {
          last = comp.error().what;
          continue;
        }
        if (ck.system == kOvalSystem && !ref.name.empty()) {
          bool def = false;
          for (auto defs : children((*comp)->root, "definitions"))
            for (auto d : children(defs, "definition"))
              def = def || ref.name == attr(d, "id").value();
          if (!def) {
            last = "definition '" + ref.name + "' not in " + ref.href;
            continue;
          }
        }
        found = true;
        break;
      }
      if (!found)
        rep.errors.push_back(
            {at(ck.line), "rule " + id + ": dangling check-content-ref (" + last + ")"});
    };
    for (const auto& ck : r.checks) walk(ck);
    if (r.complex_check) walk(*r.complex_check);
    if (any_check && !any_known) {
      // SCAP check systems we do not run (OCIL questionnaires, SCE scripts) make the rule
      // notchecked, which is what oscap does too: a warning. Anything else is a typo.
      std::string sys;
      bool scap_known = true;
      for (const auto& ck : r.checks) {
        sys += (sys.empty() ? "" : ", ") + ck.system;
        scap_known = scap_known && (ck.system == "http://scap.nist.gov/schema/ocil/2" ||
                                    ck.system == "http://open-scap.org/page/SCE");
      }
      (scap_known ? rep.warnings : rep.errors)
          .push_back({at(r.line), "rule " + id + ": no supported check system (" + sys + ")"});
    }
  }
  return rep;
}

}  // namespace vigil::compliance

// Framework rollup (see rollup.h). A control passes when every selected, applicable rule
// mapped to it passes; fails when any fails; otherwise (error, unknown, notchecked, or
// only notapplicable) it is not assessed: no evidence either way.
#include "compliance/frameworks/rollup.h"

#include <algorithm>
#include <map>

namespace vigil::compliance {

namespace {
struct Fw {
  const char* id;
  const char* needle;
};
constexpr Fw kFrameworks[] = {
#define VIGIL_FRAMEWORK(id, needle) {id, needle},
#include "compliance/frameworks/framework_list.h"
#undef VIGIL_FRAMEWORK
};

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t'))
    s.remove_suffix(1);
  return std::string(s);
}
}  // namespace

std::string framework_of(std::string_view href) {
  for (const auto& f : kFrameworks)
    if (href.find(f.needle) != std::string_view::npos) return f.id;
  return {};
}

std::vector<std::string> split_controls(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto c = text.find(',');
    auto t = trim(text.substr(0, c));
    if (!t.empty()) out.push_back(std::move(t));
    if (c == std::string_view::npos) break;
    text.remove_prefix(c + 1);
  }
  return out;
}

std::vector<FrameworkRollup> rollup(const Benchmark& b, const std::vector<RuleOutcome>& results) {
  // framework -> control -> status
  std::map<std::string, std::map<std::string, ControlStatus>> acc;
  for (const auto& o : results) {
    if (o.result == RuleResult::kNotSelected) continue;
    auto r = b.rules.find(o.rule_id);
    if (r == b.rules.end()) continue;
    for (const auto& ref : r->second.references) {
      const std::string fw = framework_of(ref.href);
      if (fw.empty()) continue;
      for (const auto& ctl : split_controls(ref.text)) {
        auto& cs = acc[fw][ctl];
        cs.id = ctl;
        if (o.result == RuleResult::kPass || o.result == RuleResult::kFixed)
          cs.pass++;
        else if (o.result == RuleResult::kFail)
          cs.fail++;
        else if (o.result != RuleResult::kNotApplicable && o.result != RuleResult::kInformational)
          cs.other++;
        if (std::find(cs.rules.begin(), cs.rules.end(), o.rule_id) == cs.rules.end())
          cs.rules.push_back(o.rule_id);
      }
    }
  }
  std::vector<FrameworkRollup> out;
  for (auto& [fw, controls] : acc) {
    FrameworkRollup fr;
    fr.framework = fw;
    for (auto& [id, cs] : controls) {
      cs.status = cs.fail ? "fail" : (cs.pass && !cs.other) ? "pass" : "not_assessed";
      (cs.status == "fail" ? fr.fail : cs.status == "pass" ? fr.pass : fr.not_assessed)++;
      fr.controls.push_back(std::move(cs));
    }
    out.push_back(std::move(fr));
  }
  return out;
}

}  // namespace vigil::compliance

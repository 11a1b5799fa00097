// See applicability.h. A fact whose check cannot be evaluated is kUnknown: the item is then
// evaluated (its own check decides, and cannot pass without evidence) and a warning says so.
#include "compliance/xccdf/applicability.h"

namespace vigil::compliance {

Applies Applicability::platforms(const std::vector<std::string>& idrefs, std::string* why) {
  if (idrefs.empty()) return Applies::kYes;
  bool unknown = false;
  std::string reasons;
  for (const auto& id : idrefs) {
    std::string w;
    const Applies a = platform(id, &w);
    if (a == Applies::kYes) return Applies::kYes;
    if (a == Applies::kUnknown) unknown = true;
    reasons += (reasons.empty() ? "" : "; ") + w;
  }
  if (why) *why = reasons;
  return unknown ? Applies::kUnknown : Applies::kNo;
}

Applies Applicability::platform(const std::string& idref, std::string* why) {
  if (auto it = cache_.find(idref); it != cache_.end()) {
    if (why) *why = it->second.second;
    return it->second.first;
  }
  std::string w;
  Applies a;
  if (!idref.empty() && idref[0] == '#') {
    const auto& plats = content_.benchmark().cpe_platforms;
    auto it = plats.find(idref.substr(1));
    if (it == plats.end()) {
      a = Applies::kNo;
      w = "platform " + idref + " is not defined in the benchmark's platform-specification";
    } else {
      a = logical(it->second.test, &w, 0);
      if (a == Applies::kNo) w = "platform " + idref + " does not apply (" + w + ")";
    }
  } else {
    a = cpe_name(idref, &w);
  }
  cache_[idref] = {a, w};
  if (why) *why = w;
  return a;
}

Applies Applicability::cpe_name(const std::string& name, std::string* why) {
  const auto& dict = content_.cpe_dictionary();
  auto it = dict.find(name);
  if (it == dict.end()) {
    *why = name + " is not in the CPE dictionary";
    return Applies::kNo;
  }
  if (it->second.checks.empty()) {
    *why = name + " has no check in the CPE dictionary";
    return Applies::kUnknown;
  }
  for (const auto& ck : it->second.checks) {
    CheckEngine* eng = engines_.find(ck.system);
    if (!eng) continue;
    auto comp = content_.resolve(ck.href, true);
    if (!comp) {
      *why = name + ": " + comp.error().str();
      return Applies::kUnknown;
    }
    CheckCall call;
    call.content = &content_;
    call.component = *comp;
    call.href = ck.href;
    call.name = ck.name;
    call.where = content_.path();
    auto outs = eng->evaluate(call);
    if (outs.empty()) break;
    switch (outs[0].result) {
      case RuleResult::kPass:
        *why = name + " applies (" + ck.name + " true)";
        return Applies::kYes;
      case RuleResult::kFail:
        *why = name + " (" + ck.name + " false)";
        return Applies::kNo;
      default:
        *why = name + ": " + ck.name + " not evaluated: " + outs[0].message;
        return Applies::kUnknown;
    }
  }
  *why = name + ": no supported check system in the CPE dictionary";
  return Applies::kUnknown;
}

Applies Applicability::logical(const LogicalTest& t, std::string* why, int depth) {
  if (depth > 32) {
    *why = "logical-test nested too deep";
    return Applies::kUnknown;
  }
  const bool is_and = t.op != "OR";
  int yes = 0, no = 0, unk = 0;
  std::string reasons;
  auto add = [&](Applies a, const std::string& w) {
    (a == Applies::kYes ? yes : a == Applies::kNo ? no : unk)++;
    reasons += (reasons.empty() ? "" : ", ") + w;
  };
  for (const auto& f : t.fact_refs) {
    std::string w;
    add(cpe_name(f, &w), w);
  }
  for (const auto& c : t.children) {
    std::string w;
    add(logical(c, &w, depth + 1), w);
  }
  Applies r;
  if (is_and)
    r = no ? Applies::kNo : unk ? Applies::kUnknown : Applies::kYes;
  else
    r = yes ? Applies::kYes : unk ? Applies::kUnknown : Applies::kNo;
  if (t.negate && r != Applies::kUnknown) r = r == Applies::kYes ? Applies::kNo : Applies::kYes;
  *why = reasons;
  return r;
}

}  // namespace vigil::compliance

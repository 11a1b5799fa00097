// The XCCDF checking loop (see evaluate.h).
#include "compliance/xccdf/evaluate.h"

#include <functional>

#include "compliance/scoring/scoring.h"
#include "compliance/xccdf/applicability.h"

namespace vigil::compliance {

namespace {

// P F U E N classes of the truth tables.
enum Cls { P, F, U, E, N };

Cls cls(RuleResult r) {
  switch (r) {
    case RuleResult::kPass:
    case RuleResult::kFixed:
      return P;
    case RuleResult::kFail:
      return F;
    case RuleResult::kUnknown:
      return U;
    case RuleResult::kError:
      return E;
    default:
      return N;
  }
}

RuleResult from_cls(Cls c, RuleResult n_value) {
  switch (c) {
    case P:
      return RuleResult::kPass;
    case F:
      return RuleResult::kFail;
    case U:
      return RuleResult::kUnknown;
    case E:
      return RuleResult::kError;
    default:
      return n_value;
  }
}

constexpr Cls kAnd[5][5] = {
    /*        P  F  U  E  N */
    /* P */ {P, F, U, E, P},
    /* F */ {F, F, F, F, F},
    /* U */ {U, F, U, U, U},
    /* E */ {E, F, U, E, E},
    /* N */ {P, F, U, E, N},
};
constexpr Cls kOr[5][5] = {
    /*        P  F  U  E  N */
    /* P */ {P, P, P, P, P},
    /* F */ {P, F, U, E, F},
    /* U */ {P, U, U, U, U},
    /* E */ {P, E, U, E, E},
    /* N */ {P, F, U, E, N},
};

struct Evaluator {
  const Content& content;
  const Policy& policy;
  const Target& target;
  CheckEngines engines;
  Applicability applicability;

  // Every check-export of the benchmark with its value under the profile: passed to every
  // call so one OVAL engine (and its collections) serves all rules.
  std::map<std::string, std::vector<std::string>> all_exports;

  Evaluator(const Content& c, const Policy& p, const Target& t)
      : content(c), policy(p), target(t), engines(t), applicability(c, engines) {
    std::function<void(const Check&)> walk = [&](const Check& ck) {
      for (const auto& ex : ck.exports)
        if (auto v = policy.value_list(ex.value_id)) all_exports.emplace(ex.export_name, *v);
      for (const auto& sub : ck.children) walk(sub);
    };
    for (const auto& [id, r] : c.benchmark().rules) {
      for (const auto& ck : r.checks) walk(ck);
      if (r.complex_check) walk(*r.complex_check);
    }
  }

  // Picks the <check> to run: the profile's selector (or none), first supported system.
  const Check* pick(const Rule& r, std::string& why) {
    const std::string sel = policy.check_selector(r);
    for (int pass = 0; pass < 2; ++pass) {
      const std::string want = pass == 0 ? sel : std::string();
      if (pass == 1 && sel.empty()) break;
      std::string systems;
      bool any = false;
      for (const auto& c : r.checks) {
        if (c.selector != want) continue;
        any = true;
        if (engines.find(c.system)) return &c;
        systems += (systems.empty() ? "" : ", ") + c.system;
      }
      if (any) {
        why = "no engine for check system(s) " + systems;
        return nullptr;
      }
    }
    why = r.checks.empty() ? "rule has no check" : "no check with selector '" + sel + "'";
    return nullptr;
  }

  std::vector<RuleOutcome> leaf(const Rule& r, const Check& ck, const RuleOutcome& base) {
    RuleOutcome o = base;
    o.check_system = ck.system;
    o.exports = ck.exports;
    CheckEngine* eng = engines.find(ck.system);
    if (!eng) {
      o.result = RuleResult::kNotChecked;
      o.message = "unknown check system " + ck.system;
      return {o};
    }
    CheckCall call;
    call.content = &content;
    call.multi_check = ck.multi_check;
    call.where = content.doc().path + ":" + std::to_string(ck.line);
    call.external_vars = all_exports;
    for (const auto& ex : ck.exports) {
      auto v = policy.value_list(ex.value_id);
      if (!v) {
        o.result = RuleResult::kError;
        o.message = "check-export of unknown Value '" + ex.value_id + "' in rule " + r.id;
        return {o};
      }
      call.external_vars[ex.export_name] = *v;
      o.export_values[ex.export_name] = join_value_items(*v);
    }
    if (!ck.inline_content_xml.empty() && ck.refs.empty()) {
      call.inline_content = ck.inline_content_xml;
    } else {
      std::string tried;
      for (const auto& ref : ck.refs) {
        auto comp = content.resolve(ref.href);
        if (!comp) {
          tried += (tried.empty() ? "" : "; ") + ref.href + ": " + comp.error().what;
          continue;
        }
        if (!eng->has(**comp, ref.name)) {
          tried += (tried.empty() ? "" : "; ") + ("'" + ref.name + "' not in " + ref.href);
          continue;
        }
        call.component = *comp;
        call.href = ref.href;
        call.name = ref.name;
        break;
      }
      if (!call.component) {
        o.result = RuleResult::kError;
        o.message = ck.refs.empty() ? "check without check-content-ref or check-content"
                                    : "dangling check-content-ref: " + tried;
        return {o};
      }
    }
    o.check_href = call.href;
    o.check_name = call.name;
    auto outs = eng->evaluate(call);
    if (outs.empty()) {
      o.result = RuleResult::kError;
      o.message = "check engine returned no result";
      return {o};
    }
    std::vector<RuleOutcome> res;
    for (auto& out : outs) {
      RuleOutcome x = o;
      x.result = ck.negate ? negate_result(out.result) : out.result;
      x.message = out.message;
      x.evidence = std::move(out.evidence);
      if (ck.multi_check && call.name.empty()) x.instance = out.name;
      if (!out.name.empty()) x.check_name = out.name;
      res.push_back(std::move(x));
    }
    return res;
  }

  RuleOutcome complex(const Rule& r, const Check& ck, const RuleOutcome& base) {
    RuleOutcome o = base;
    o.check_system = "complex-check";
    RuleResult acc = RuleResult::kNotChecked;
    bool first = true;
    for (const auto& c : ck.children) {
      RuleResult sub;
      RuleOutcome part;
      if (c.complex) {
        part = complex(r, c, base);
        sub = part.result;
      } else {
        auto outs = leaf(r, c, base);
        // A multi-check inside a complex-check contributes the AND of its instances.
        sub = outs[0].result;
        for (std::size_t i = 1; i < outs.size(); ++i) sub = combine_and(sub, outs[i].result);
        part = outs[0];
        part.result = sub;
        for (std::size_t i = 1; i < outs.size(); ++i)
          for (auto& e : outs[i].evidence) part.evidence.push_back(e);
      }
      o.evidence.push_back({{"kind", "check"},
                            {"system", part.check_system},
                            {"name", part.check_name},
                            {"result", to_string(sub)},
                            {"message", part.message},
                            {"evidence", part.evidence}});
      if (!part.message.empty()) o.message += (o.message.empty() ? "" : "; ") + part.message;
      acc = first ? sub : ck.op == "OR" ? combine_or(acc, sub) : combine_and(acc, sub);
      first = false;
    }
    o.result = ck.negate ? negate_result(acc) : acc;
    return o;
  }

  std::vector<RuleOutcome> rule(const Rule& r) {
    RuleOutcome o;
    o.rule_id = r.id;
    o.weight = policy.weight(r);
    o.severity = policy.severity(r);
    o.role = policy.role(r);
    std::string why;
    if (!policy.rule_selected(r, &why)) {
      o.result = RuleResult::kNotSelected;
      o.message = why;
      return {o};
    }
    // Applicability: the benchmark's, every enclosing group's, then the rule's platforms.
    std::vector<const std::vector<std::string>*> plats{&content.benchmark().platforms};
    for (std::string g = r.parent; !g.empty();) {
      const auto& grp = content.benchmark().groups.at(g);
      plats.push_back(&grp.platforms);
      g = grp.parent;
    }
    plats.push_back(&r.platforms);
    std::string unknown_why;
    for (const auto* pl : plats) {
      std::string w;
      const Applies a = applicability.platforms(*pl, &w);
      if (a == Applies::kNo) {
        o.result = RuleResult::kNotApplicable;
        o.message = w;
        return {o};
      }
      if (a == Applies::kUnknown) unknown_why = w;
    }
    if (o.role == Role::kUnchecked) {
      o.result = RuleResult::kNotChecked;
      o.message = "rule role is unchecked";
      return {o};
    }
    std::vector<RuleOutcome> out;
    if (r.complex_check) {
      out.push_back(complex(r, *r.complex_check, o));
    } else if (const Check* ck = pick(r, why)) {
      out = leaf(r, *ck, o);
    } else {
      o.result = RuleResult::kNotChecked;
      o.message = why;
      out.push_back(o);
    }
    if (!unknown_why.empty())
      for (auto& x : out)
        x.message += (x.message.empty() ? "" : "; ") + ("applicability unknown: " + unknown_why);
    return out;
  }
};

}  // namespace

RuleResult combine_and(RuleResult a, RuleResult b) {
  return from_cls(kAnd[cls(a)][cls(b)], RuleResult::kNotChecked);
}
RuleResult combine_or(RuleResult a, RuleResult b) {
  return from_cls(kOr[cls(a)][cls(b)], RuleResult::kNotChecked);
}
RuleResult negate_result(RuleResult r) {
  if (r == RuleResult::kPass) return RuleResult::kFail;
  if (r == RuleResult::kFail) return RuleResult::kPass;
  return r;
}

Result<TestResult> evaluate(const Content& content, const Policy& policy, const Target& target,
                            std::vector<std::string> models) {
  const Benchmark& b = content.benchmark();
  if (models.empty()) models = b.models;
  if (models.empty()) models.push_back(kScoringDefault);
  for (const auto& m : models)
    if (!is_known_model(m))
      return Error{content.path(),
                   "unknown scoring model '" + m + "' (known: " + known_models_text() + ")"};
  TestResult tr;
  tr.start = now_micros();
  tr.host = target.host;
  tr.root = target.root;
  tr.facts_path = target.facts_path;
  tr.id = "xccdf_io.vigil_testresult_" +
          (policy.profile_id().empty() ? std::string("default_profile") : policy.profile_id());
  tr.set_values = policy.changed_values();
  tr.warnings = policy.warnings();
  Evaluator ev(content, policy, target);
  for (const auto& id : b.rule_order) {
    auto outs = ev.rule(b.rules.at(id));
    for (auto& o : outs) tr.rules.push_back(std::move(o));
  }
  tr.end = now_micros();
  for (const auto& m : models) {
    auto s = compute_score(m, b, policy, tr.rules);
    if (!s) return s.error();
    tr.scores.push_back(*s);
  }
  return tr;
}

}  // namespace vigil::compliance

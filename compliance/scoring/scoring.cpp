// Scoring (see scoring.h). The tree walk follows Table 40 (default) and Table 41 (flat) of
// NIST IR 7275r4; a rule with several results (multi-check) contributes one leaf per result.
#include "compliance/scoring/scoring.h"

#include <map>

namespace vigil::compliance {

namespace {

struct Leaf {
  RuleResult result;
};

struct Walk {
  const Benchmark& b;
  const Policy& policy;
  ScoreFlavor flavor;
  std::map<std::string, std::vector<const RuleOutcome*>> by_rule;

  double weight(const Item& it) const {
    // oscap scores with the benchmark's weights; refine-rule weights are ignored there.
    return flavor == ScoreFlavor::kOpenscap ? it.weight : policy.weight(it);
  }

  std::vector<const RuleOutcome*> scored(const Rule& r) const {
    std::vector<const RuleOutcome*> out;
    auto it = by_rule.find(r.id);
    if (it == by_rule.end()) return out;
    for (const auto* o : it->second) {
      if (!is_scored_result(o->result)) continue;
      // Role unscored: checked and reported, never counted (XCCDF 1.2 Rule/@role).
      if (o->role == Role::kUnscored) continue;
      out.push_back(o);
      if (flavor == ScoreFlavor::kOpenscap) break;  // oscap looks at the first result only
    }
    if (flavor == ScoreFlavor::kOpenscap && !out.empty() &&
        !is_scored_result(it->second[0]->result))
      out.clear();
    return out;
  }

  static bool passed(RuleResult r) { return r == RuleResult::kPass || r == RuleResult::kFixed; }

  // Default model: returns {score, count}; `weighted` accumulates into the parent.
  struct D {
    double score = 0;
    int count = 0;
  };
  D def_children(const std::vector<std::string>& ids) {
    D d;
    double acc = 0;
    for (const auto& id : ids) {
      if (auto r = b.rules.find(id); r != b.rules.end()) {
        for (const auto* o : scored(r->second)) {
          d.score += (passed(o->result) ? 100.0 : 0.0) * weight(r->second);
          acc += weight(r->second);
          d.count++;
        }
      } else if (auto g = b.groups.find(id); g != b.groups.end()) {
        D c = def_children(g->second.children);
        if (c.count == 0) continue;
        d.score += c.score * weight(g->second);
        acc += weight(g->second);
        d.count++;
      }
    }
    // Normalise: the weighted mean of the counted children (0 when every weight is 0).
    d.score = acc > 0 ? d.score / acc : 0.0;
    return d;
  }

  void flat(const std::vector<std::string>& ids, bool unweighted, double& score, double& max) {
    for (const auto& id : ids) {
      if (auto r = b.rules.find(id); r != b.rules.end()) {
        const double w = weight(r->second);
        for (const auto* o : scored(r->second)) {
          double rw = w;
          if (unweighted) {
            // Spec: a zero weight means "does not count" in every model; oscap counts it as 1.
            rw = (flavor == ScoreFlavor::kOpenscap || w > 0) ? 1.0 : 0.0;
          }
          max += rw;
          if (passed(o->result)) score += rw;
        }
      } else if (auto g = b.groups.find(id); g != b.groups.end()) {
        flat(g->second.children, unweighted, score, max);
      }
    }
  }
};

}  // namespace

bool is_known_model(std::string_view s) {
  return s == kScoringDefault || s == kScoringFlat || s == kScoringFlatUnweighted ||
         s == kScoringAbsolute;
}

std::string known_models_text() {
  return std::string(kScoringDefault) + ", " + kScoringFlat + ", " + kScoringFlatUnweighted + ", " +
         kScoringAbsolute;
}

bool is_scored_result(RuleResult r) {
  return r != RuleResult::kNotApplicable && r != RuleResult::kNotChecked &&
         r != RuleResult::kInformational && r != RuleResult::kNotSelected;
}

Result<Score> compute_score(std::string_view system, const Benchmark& b, const Policy& policy,
                            const std::vector<RuleOutcome>& results, ScoreFlavor flavor) {
  if (!is_known_model(system))
    return Error{"", "unknown scoring model '" + std::string(system) +
                         "' (known: " + known_models_text() + ")"};
  Walk w{b, policy, flavor, {}};
  for (const auto& o : results) w.by_rule[o.rule_id].push_back(&o);
  Score s;
  s.system = std::string(system);
  if (system == kScoringDefault) {
    s.score = w.def_children(b.top).score;
    s.maximum = 100;
  } else {
    double score = 0, max = 0;
    w.flat(b.top, system == kScoringFlatUnweighted, score, max);
    if (system == kScoringAbsolute) {
      s.score = score == max ? 1 : 0;
      // oscap reports the flat maximum here; the spec's maximum for absolute is 1.
      s.maximum = flavor == ScoreFlavor::kOpenscap ? max : 1;
    } else {
      s.score = score;
      s.maximum = max;
    }
  }
  return s;
}

}  // namespace vigil::compliance

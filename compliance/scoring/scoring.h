// XCCDF scoring models, exactly per NIST IR 7275r4 section 7.3 (docs/scoring.md), plus the
// OpenSCAP 1.3 flavour so a run can show where oscap's number differs and why.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compliance/xccdf/evaluate.h"
#include "compliance/xccdf/policy.h"

namespace vigil::compliance {

inline constexpr const char* kScoringDefault = "urn:xccdf:scoring:default";
inline constexpr const char* kScoringFlat = "urn:xccdf:scoring:flat";
inline constexpr const char* kScoringFlatUnweighted = "urn:xccdf:scoring:flat-unweighted";
inline constexpr const char* kScoringAbsolute = "urn:xccdf:scoring:absolute";

enum class ScoreFlavor {
  kSpec,      // NIST IR 7275r4
  kOpenscap,  // what oscap 1.3 computes (first result per rule, unrefined weights, ...)
};

bool is_known_model(std::string_view system);
std::string known_models_text();
// Whether a result takes part in scoring (not notapplicable/notchecked/informational/notselected).
bool is_scored_result(RuleResult r);

Result<Score> compute_score(std::string_view system, const Benchmark& b, const Policy& policy,
                            const std::vector<RuleOutcome>& results,
                            ScoreFlavor flavor = ScoreFlavor::kSpec);

}  // namespace vigil::compliance

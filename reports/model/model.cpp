// Outcome names and the small rules shared by every output format.
#include <cmath>
#include <limits>

#include "reports/model/model.h"

namespace vigil::reports {

namespace {
constexpr std::string_view kOutcomeNames[kOutcomeCount] = {
    "pass",       "fail",        "error",         "unknown", "notapplicable",
    "notchecked", "notselected", "informational", "fixed"};
}

std::string_view to_string(Outcome o) {
  return kOutcomeNames[static_cast<int>(o)];
}

bool parse_outcome(std::string_view s, Outcome& out) {
  for (int i = 0; i < kOutcomeCount; ++i)
    if (kOutcomeNames[i] == s) {
      out = static_cast<Outcome>(i);
      return true;
    }
  return false;
}

bool framework_in_family(std::string_view framework, std::string_view family) {
  if (family.empty()) return true;
  if (framework.substr(0, family.size()) != family) return false;
  // "nist-800-53" must not swallow "nist-800-531"; allow "nist-800-53r5", "-v8", "-4.0".
  if (framework.size() == family.size()) return true;
  const char next = framework[family.size()];
  return next == '-' || next == 'r';
}

double score_contribution(const RuleRow& row) {
  // The XCCDF default model counts pass and fail (fixed counts as pass) of scored rules.
  if (row.role == "unscored" || row.role == "unchecked")
    return std::numeric_limits<double>::quiet_NaN();
  switch (row.result) {
    case Outcome::pass:
    case Outcome::fixed:
      return row.weight;
    case Outcome::fail:
      return 0.0;
    default:
      return std::numeric_limits<double>::quiet_NaN();
  }
}

}  // namespace vigil::reports

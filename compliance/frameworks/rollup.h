// Per-framework rollup: rule references -> controls (CIS Controls v8 safeguard, NIST 800-53
// control, PCI DSS requirement...) -> pass / fail / not_assessed per control.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compliance/xccdf/evaluate.h"

namespace vigil::compliance {

// Framework id for a reference href ("" when not one we roll up).
std::string framework_of(std::string_view href);
// "AC-17(a), CM-7(a)" -> {"AC-17(a)", "CM-7(a)"}.
std::vector<std::string> split_controls(std::string_view text);

struct ControlStatus {
  std::string id;
  std::string status;  // pass | fail | not_assessed
  int pass = 0, fail = 0, other = 0;
  std::vector<std::string> rules;
};

struct FrameworkRollup {
  std::string framework;
  std::vector<ControlStatus> controls;  // sorted by control id
  int pass = 0, fail = 0, not_assessed = 0;
};

// Rules that are notselected are left out: a control is judged on the profile's rules only.
std::vector<FrameworkRollup> rollup(const Benchmark& b, const std::vector<RuleOutcome>& results);

}  // namespace vigil::compliance

// XCCDF processing: for every rule of the benchmark (document order), selection under the
// policy, applicability, then its check(s) through the engines -> a TestResult.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compliance/checks/check_engine.h"
#include "compliance/ds/content.h"
#include "compliance/xccdf/policy.h"
#include "core/util/time.h"

namespace vigil::compliance {

struct RuleOutcome {
  std::string rule_id;
  RuleResult result = RuleResult::kNotChecked;
  std::string message;  // why: always set unless pass/fail came straight from a check
  std::string check_system, check_href, check_name;
  std::string instance;  // multi-check: the definition this result is for
  std::vector<CheckExport> exports;
  std::map<std::string, std::string> export_values;  // export-name -> value used
  nlohmann::json evidence = nlohmann::json::array();
  // Effective under the profile.
  double weight = 1.0;
  std::string severity;
  Role role = Role::kFull;
};

struct Score {
  std::string system;
  double score = 0, maximum = 100;
};

struct TestResult {
  std::string id;
  HostIdentity host;
  std::string target;  // what was assessed: root dir, facts file, or the finding files
  std::string root, facts_path;
  Micros start = 0, end = 0;
  std::vector<RuleOutcome> rules;
  std::vector<Score> scores;
  std::map<std::string, std::string> set_values;
  std::vector<std::string> warnings;
};

// XCCDF complex-check truth tables (spec / OpenSCAP): N = notchecked-like results.
RuleResult combine_and(RuleResult a, RuleResult b);
RuleResult combine_or(RuleResult a, RuleResult b);
RuleResult negate_result(RuleResult r);

// `models` empty: the benchmark's declared models, else urn:xccdf:scoring:default.
Result<TestResult> evaluate(const Content& content, const Policy& policy, const Target& target,
                            std::vector<std::string> models = {});

}  // namespace vigil::compliance

// Everything one evaluation produced, as the result writers (JSON, XCCDF TestResult, ARF)
// and the CLI consume it.
#pragma once

#include <string>

#include "compliance/checks/findings_set.h"
#include "compliance/ds/content.h"
#include "compliance/xccdf/evaluate.h"
#include "compliance/xccdf/policy.h"

namespace vigil::compliance {

struct Run {
  const Content* content = nullptr;
  const Policy* policy = nullptr;
  const TestResult* result = nullptr;
  const FindingSet* findings = nullptr;  // may be null
  std::string tailoring_path, tailoring_sha256, tailoring_id;
  std::vector<Score> openscap_scores;  // the same models, as oscap 1.3 computes them
};

}  // namespace vigil::compliance

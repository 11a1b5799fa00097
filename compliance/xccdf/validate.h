// `vigil benchmark validate`: structure and references of loaded content, each problem as
// an Error naming file:line and the element id (profiles selecting unknown items, dangling
// check-content-refs, unknown check systems, scoring models, platforms, Values...).
#pragma once

#include <vector>

#include "compliance/ds/content.h"
#include "core/util/result.h"

namespace vigil::compliance {

struct ValidationReport {
  std::vector<Error> errors;
  std::vector<Error> warnings;
};

ValidationReport validate_content(const Content& c);

}  // namespace vigil::compliance

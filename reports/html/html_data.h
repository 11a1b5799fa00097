// The report model as the compact JSON the HTML page renders from. Rule texts
// appear once (catalogue), rows are arrays of small integers, evidence lines are
// interned: 1,000 hosts x 300 rules stays a few MB.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "reports/model/model.h"

namespace vigil::reports {

// Findings shown in the HTML at most (the CSV and JSON carry every one).
inline constexpr std::size_t kMaxHtmlFindings = 20000;

nlohmann::json html_data(const Report& report);
// JSON text safe inside <script type="application/json">: '<', '>', '&', U+2028 and
// U+2029 are written as \u escapes, invalid UTF-8 is replaced.
std::string script_safe_json(const nlohmann::json& j);

}  // namespace vigil::reports

// Readers for the report inputs: results JSON (docs/results.md), findings JSON
// Lines (core::finding_from_json) and asset JSON Lines. Tolerant of unknown
// fields, strict about required ones: an error names the file and the JSON
// pointer of what is missing or malformed.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "reports/model/model.h"

namespace vigil::reports {

// Caps: a results file is read whole; refuse absurd sizes instead of swapping.
inline constexpr std::uintmax_t kMaxResultsBytes = 512u << 20;

Status add_results_file(Report& report, const std::string& path);
// Several files: parsed on every core in small batches, added in the given order
// (the output does not depend on thread timing). Stops at the first error.
Status add_results_files(Report& report, const std::vector<std::string>& paths);
Status add_results_json(Report& report, const nlohmann::json& j, const std::string& path);
// Keeps only findings of `report.tenant` when it is set.
Status add_findings_file(Report& report, const std::string& path);
Status add_assets_file(Report& report, const std::string& path);
// Sorts runs (host name, then time) after everything is loaded.
void finish(Report& report);

}  // namespace vigil::reports

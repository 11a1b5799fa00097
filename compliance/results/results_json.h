// The results JSON (docs/results.md): format "vigil-xccdf-results", version 1. The reports
// module reads it; fields are only ever added, never renamed.
#pragma once

#include <nlohmann/json.hpp>

#include "compliance/results/run.h"

namespace vigil::compliance {

inline constexpr const char* kResultsFormat = "vigil-xccdf-results";
inline constexpr int kResultsFormatVersion = 1;

nlohmann::json results_json(const Run& run);
Status write_results_json(const Run& run, const std::string& path);

}  // namespace vigil::compliance

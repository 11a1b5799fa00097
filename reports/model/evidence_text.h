// Rule evidence (docs/results.md "Evidence entries") as short human lines: the
// file and line an OVAL item came from, the finding with its flow id and times.
// HTML shows them on demand, CSV joins them into one cell.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace vigil::reports {

inline constexpr std::size_t kMaxEvidenceLine = 300;

// At most max_lines lines of at most kMaxEvidenceLine bytes (UTF-8 safe cut).
std::vector<std::string> evidence_lines(const nlohmann::json& evidence, std::size_t max_lines = 12);
// The lines joined with "; ", for one CSV cell.
std::string evidence_summary(const nlohmann::json& evidence, std::size_t max_lines = 4);
// Cuts s to at most max bytes without splitting a UTF-8 sequence; appends "…" when cut.
std::string clip_utf8(std::string_view s, std::size_t max);

}  // namespace vigil::reports

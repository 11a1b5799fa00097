// Report writers, one per format (format_list.h), and the lookup by name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.h"
#include "reports/model/model.h"

namespace vigil::reports {

#define VIGIL_REPORT_FORMAT(name, desc) \
  Status write_##name(const Report& report, const std::string& out_path);
#include "reports/format_list.h"
#undef VIGIL_REPORT_FORMAT

// The in-memory forms the writers above save (tests and `evidence pack` use them).
std::string render_csv(const Report& report);
nlohmann::json report_json(const Report& report);
std::string render_md(const Report& report);

std::vector<std::string> format_names();
// Error "unknown report format 'x' (known: html, pdf, ...)" for a name not in the list.
Status write_report(const Report& report, std::string_view format, const std::string& out_path);

// Writes bytes to path (via a temporary file renamed into place, so a reader
// never sees half a report).
Status write_file(const std::string& path, std::string_view bytes);

}  // namespace vigil::reports

// XCCDF results and ARF writers (pugixml, never string-built):
//   --xccdf-results: the benchmark with our TestResult appended, as `oscap xccdf eval --results`
//                    writes it (validates with `oscap xccdf validate`, renders with
//                    `oscap xccdf generate report`);
//   --arf:           an ARF 1.1 asset-report-collection (source datastream as report-request,
//                    the host as asset, TestResult as report; `oscap ds rds-validate`).
#pragma once

#include <string>

#include <pugixml.hpp>

#include "compliance/results/run.h"

namespace vigil::compliance {

// Appends <TestResult> to `parent`; `prefix` is the XCCDF namespace prefix ("" = default ns).
void append_test_result(pugi::xml_node parent, const Run& run, const std::string& prefix);

Status write_xccdf_results(const Run& run, const std::string& path);
Status write_arf(const Run& run, const std::string& path);

}  // namespace vigil::compliance

// Output shared by the host scanners: findings as JSON Lines (core::to_json per line), and
// the --fail-on test that decides exit code 2.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/finding/finding.h"

namespace vigil::scanner {

// Sets the tenant (the MSSP's client; may stay empty and be filled in by
// `vigil findings import --tenant`) and the fingerprint id that depends on it.
void stamp(std::vector<core::Finding>& findings, const std::string& tenant);

// path "-" writes to stdout. The file is written to PATH.tmp and renamed, so a reader
// never sees half a run.
Status write_findings(const std::string& path, const std::vector<core::Finding>& findings);

// True when some finding is at or above `threshold`.
bool any_at_or_above(const std::vector<core::Finding>& findings,
                     std::optional<core::Severity> threshold);

}  // namespace vigil::scanner

// Findings loaded from JSON Lines files (core::to_json form, or the lenient import form),
// the input of the urn:vigil:check:findings check system.
#pragma once

#include <string>
#include <vector>

#include "compliance/checks/asset_identity.h"
#include "core/finding/finding.h"
#include "core/util/result.h"

namespace vigil::compliance {

// The info finding a producer emits for every asset it observed (docs/findings-check.md):
// evidence.covers optionally lists the finding-type prefixes its analyzers could report.
inline constexpr const char* kObservedType = "asset.observed";

struct FindingSet {
  std::vector<core::Finding> findings;
  std::vector<std::string> files;
  std::vector<std::string> file_sha256;
};

Result<FindingSet> load_findings(const std::vector<std::string>& paths);

// Widens `host` with the identifiers of scanner findings that match it (asset-identity rule).
void expand_identity(HostIdentity& host, const FindingSet& set);

}  // namespace vigil::compliance

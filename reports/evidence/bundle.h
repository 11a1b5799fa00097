// Signed evidence bundles: a ustar file holding the inputs (results, findings),
// the reports, the benchmark files' SHA-256, the tool version and command line,
// a manifest.json with every file's SHA-256 and size, and manifest.sig, an
// Ed25519 signature of manifest.json's exact bytes.
#pragma once

#include <string>
#include <vector>

#include "core/util/result.h"

namespace vigil::reports::evidence {

inline constexpr const char* kManifest = "manifest.json";
inline constexpr const char* kSignature = "manifest.sig";
// A bundle is verified in memory; refuse what does not fit comfortably.
inline constexpr std::uintmax_t kMaxBundleBytes = 2ull << 30;

struct PackRequest {
  std::vector<std::string> results, findings, reports;
  std::string key, out;
  std::vector<std::string> command_line;
};

struct PackSummary {
  std::size_t files = 0;
  std::uint64_t bytes = 0;
  std::string key_fingerprint;
};

Result<PackSummary> pack(const PackRequest& req);

struct VerifyReport {
  bool ok = false;
  std::size_t files = 0;  // files listed in the manifest
  std::string key_fingerprint;
  // One line per problem: "modified: PATH", "missing: PATH", "extra: PATH",
  // "signature: ...", "bundle: ..." (unreadable / unsafe archive).
  std::vector<std::string> problems;
};

// Checks the archive without unpacking it. Result error only when the bundle
// or key cannot be read at all; everything else lands in problems.
Result<VerifyReport> verify_bundle(const std::string& bundle_path, const std::string& pub_path);

// After a successful verify, writes the members below dir (created; existing
// files are not overwritten, member paths were checked by the tar reader).
Status extract_bundle(const std::string& bundle_path, const std::string& dir);

}  // namespace vigil::reports::evidence

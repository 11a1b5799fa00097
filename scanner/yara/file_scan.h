// `vigil scan files`: walk a tree safely, scan every regular file with the compiled rules
// on N threads (one YR_SCANNER each), skip what the cache says is unchanged, and turn
// every (file, rule) match into a `host.malware.yara` finding.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding/finding.h"
#include "core/yara/rule_match.h"
#include "scanner/walk/walker.h"
#include "scanner/yara/rules.h"

namespace vigil::scanner::yara {

struct ScanOptions {
  walk::Options walk;
  std::uint64_t max_size = 256ull << 20;  // larger files are skipped (counted)
  unsigned threads = 0;                   // 0 = all cores
  int timeout_s = 60;                     // per file
  std::string cache_path;                 // empty = no cache
  // Called from the scanning threads with (files done, files total); may be empty.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

using Match = core::yara::RuleMatch;

struct FileHit {
  std::string path;
  std::uint64_t size = 0;
  std::string sha256;
  std::vector<Match> matches;
};

struct ScanReport {
  walk::Stats walk;
  std::uint64_t files = 0;            // regular files found
  std::uint64_t scanned = 0;          // examined this run (prefiltered ones included)
  std::uint64_t prefiltered = 0;      // of those: no rule can match them (prefilter.h), not read
  std::uint64_t cached = 0;           // skipped: unchanged since the cached scan
  std::uint64_t too_large = 0;        // skipped: over max_size
  std::uint64_t bytes_scanned = 0;    // bytes libyara scanned
  std::vector<walk::Problem> errors;  // open/scan failures (counted with unreadable)
  std::vector<std::string> timeouts;  // files whose scan hit the timeout
  std::vector<FileHit> hits;          // in path order
};

Result<ScanReport> scan_files(const Rules& rules, const ScanOptions& opt);

// One finding per (file, rule).
std::vector<core::Finding> to_findings(const ScanReport& r, const core::Asset& asset, Micros now);

nlohmann::json match_to_json(const Match& m);
Match match_from_json(const nlohmann::json& j);

}  // namespace vigil::scanner::yara

// The report model: every results file (one host at one time), the findings and
// the assets, with rule texts deduplicated into one catalogue so that 1,000 hosts
// of the same benchmark carry each description once.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding/finding.h"
#include "core/util/result.h"
#include "core/util/time.h"

namespace vigil::reports {

// XCCDF rule results, in the order docs/results.md lists them.
enum class Outcome : std::uint8_t {
  pass,
  fail,
  error,
  unknown,
  notapplicable,
  notchecked,
  notselected,
  informational,
  fixed
};
inline constexpr int kOutcomeCount = 9;
std::string_view to_string(Outcome o);
bool parse_outcome(std::string_view s, Outcome& out);

struct RuleRef {
  std::string framework;  // "" when the href is not a recognised framework
  std::string text, href;
};

// What a rule says, independent of any host (first occurrence wins).
struct RuleInfo {
  std::string benchmark_id, id, title, severity;
  std::vector<std::string> group_path;  // group titles, outermost first
  std::string description, rationale;
  std::vector<std::string> fixtext;
  std::vector<RuleRef> references;
  std::vector<std::string> idents;
};

struct RuleRow {
  std::uint32_t rule = 0;  // index into Report::rules
  Outcome result = Outcome::unknown;
  std::string severity;  // after refine-rule, may differ per host
  double weight = 1.0;
  std::string role, message;
  nlohmann::json evidence = nlohmann::json::array();
};

struct Score {
  std::string system;
  double score = 0, maximum = 100;
};

struct ControlStatus {
  std::string id, status;  // pass | fail | not_assessed
  int pass = 0, fail = 0, other = 0;
  std::vector<std::string> rules;
};

struct FrameworkRollup {
  std::string framework;
  int pass = 0, fail = 0, not_assessed = 0;
  std::vector<ControlStatus> controls;
};

struct HostRun {
  std::string path;  // the results file
  std::string name;  // host.name
  bool all_assets = false;
  std::vector<std::string> hostnames, host_ids, ips, macs;
  std::string benchmark_id, benchmark_title, benchmark_version, benchmark_source, benchmark_sha256;
  std::string profile_id, profile_title;
  std::string start_time, end_time;
  Micros start = 0;
  std::array<int, kOutcomeCount> counts{};
  std::vector<Score> scores;
  std::vector<RuleRow> rows;
  std::vector<FrameworkRollup> frameworks;
};

// A line of --assets: at least one of ip, mac, hostname.
struct AssetRow {
  std::string ip, mac, hostname, host_id, vendor, os;
  std::string first_seen, last_seen;
};

struct Report {
  std::string title = "Vigil compliance report";
  std::string tenant;
  std::string framework;  // "", "cis-controls", "nist-800-53", "pci-dss"
  std::string generated;  // RFC 3339
  std::vector<RuleInfo> rules;
  std::map<std::string, std::uint32_t> rule_index;  // benchmark_id + '\n' + rule id
  std::vector<HostRun> runs;                        // sorted by host name, then start time
  std::vector<core::Finding> findings;
  std::vector<AssetRow> assets;
};

// True when a framework name from the results ("pci-dss-4.0") belongs to the
// --framework family ("pci-dss"); every framework matches an empty family.
bool framework_in_family(std::string_view framework, std::string_view family);
inline constexpr const char* kFrameworkFamilies[] = {"cis-controls", "nist-800-53", "pci-dss"};

// Score contribution of a row under the default model: weight when it passes,
// 0 when it fails, nothing (NaN) when it does not count.
double score_contribution(const RuleRow& row);

}  // namespace vigil::reports

// Settings of the detections: which families run, thresholds, caps and the
// per-tenant allowlist. Read from the "detect" object of the sensor config
// file (--config); every default below is the documented one (docs/detections.md).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/util/result.h"

struct YR_RULES;

namespace vigil::sensor::detect {

struct ScanConfig {
  std::int64_t window_us = 60'000'000;  // distinct targets counted within this window
  std::uint32_t min_targets = 50;       // distinct (host, port) pairs that make a scan
  std::uint32_t max_sources = 65536;    // sources tracked (all workers together)
  std::uint32_t max_probes = 4096;      // probes kept per source; more are only counted
};

struct DnsConfig {
  std::uint32_t min_label_length = 20;    // a label this long ...
  double min_entropy = 3.3;               // ... with this Shannon entropy (bits/char) is "encoded"
  std::uint32_t tunnel_min_queries = 10;  // encoded-label queries under one domain
  std::uint32_t unique_names = 300;       // or this many distinct names under one domain
  std::uint32_t nxdomain_min = 20;        // distinct NXDOMAIN names from one client ...
  std::int64_t nxdomain_window_us = 60'000'000;  // ... within this window
  std::uint32_t max_domains = 16384;             // (client, domain) pairs tracked
  std::uint32_t max_names = 1024;                // names remembered per (client, domain) / client
};

inline constexpr std::uint64_t kDefaultYaraDepth = 100 << 10;
inline constexpr const char* kDefaultYaraDepthText = "100KiB";

struct YaraConfig {
  const YR_RULES* rules = nullptr;  // compiled by the caller (--yara); not owned
  // Every rule needs one of its own strings to match (the caller read it from the
  // rule source, scanner/yara/prefilter.h): data without any string hit is
  // judged clean without evaluating each rule's condition.
  bool strings_required = false;
  // Bytes scanned per direction of a flow and per HTTP body (--yara-depth,
  // Suricata's stream inspection depth): requests, headers and the start of
  // transferred files are where signatures match; later bytes cost scan time.
  std::uint64_t depth = kDefaultYaraDepth;
  std::uint64_t buffer = 256 << 10;  // per-direction buffer: scanned when full or at flow end
  std::uint64_t overlap = 4 << 10;   // kept after a scan so a match across the cut is found
  std::uint64_t memcap = 128 << 20;  // all buffers together; over it a buffer is scanned early
  int timeout_s = 10;                // per scan call
};

// One allowlist entry: findings whose type starts with one of `types` (all
// when empty) on asset `ip` (exact or CIDR; any when empty) for `tenant` (any
// when empty), optionally only on evidence port `port`, are not reported.
struct AllowEntry {
  std::string tenant;
  std::vector<std::string> types;
  std::string ip;
  int port = -1;
  std::string reason;
};

struct DetectConfig {
  std::set<std::string> disabled;  // detector names switched off
  ScanConfig scan;
  DnsConfig dns;
  YaraConfig yara;
  std::vector<AllowEntry> allow;
  std::uint32_t max_assets = 65536;     // asset.observed records kept
  std::uint32_t max_findings = 100000;  // distinct findings kept
  bool enabled(const std::string& name) const { return !disabled.count(name); }
};

// Reads the "detect" object of a sensor config file (other objects belong to
// others). Unknown keys are refused by name; no "detect" object = defaults.
Status load_detect_config(const std::string& path, DetectConfig& cfg);

// Whether `ip` (text) is inside `spec` ("10.0.0.5", "10.0.0.0/8", "fd00::/8").
bool ip_matches(const std::string& ip, const std::string& spec);

}  // namespace vigil::sensor::detect

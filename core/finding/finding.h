// The finding: what the sensor, the scanner or the mapper says about an asset.
// One model for every producer; JSON Lines on disk (docs/findings.md and
// docs/findings.schema.json describe the format).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.h"
#include "core/util/time.h"

namespace vigil::core {

inline constexpr int kFindingSchemaVersion = 1;
// Evidence larger than this (serialised) is refused: findings are pointers to
// proof, not packet dumps. Raw excerpts go through evidence_excerpt().
inline constexpr std::size_t kMaxEvidenceBytes = 64 * 1024;
inline constexpr std::size_t kMaxExcerptBytes = 4 * 1024;

enum class Severity : int { info = 0, low = 1, medium = 2, high = 3, critical = 4 };
enum class Source { sensor, scanner, mapper };
enum class Status { open_new, acknowledged, resolved, false_positive, accepted_risk };

std::string_view to_string(Severity s);
std::string_view to_string(Source s);
std::string_view to_string(Status s);
std::optional<Severity> parse_severity(std::string_view s);
std::optional<Source> parse_source(std::string_view s);
std::optional<Status> parse_status(std::string_view s);

struct Asset {
  std::string ip, mac, hostname, host_id;
  bool empty() const { return ip.empty() && mac.empty() && hostname.empty() && host_id.empty(); }
  // The identity used in fingerprints: host_id, else ip, else mac, else hostname.
  std::string identity() const;
  // Same, appended to `out` (the import path reuses one buffer per finding).
  void append_identity(std::string& out) const;
};

struct Reference {
  std::string framework;  // "cis-controls-v8", "nist-800-53", "pci-dss-4.0", "mitre-attack"
  std::string id;
  bool operator==(const Reference&) const = default;
};

struct Finding {
  int schema_version = kFindingSchemaVersion;
  std::string id;  // fingerprint(), hex SHA-256
  std::string tenant;
  Asset asset;
  Source source = Source::scanner;
  std::string type;  // dotted, e.g. "net.auth.cleartext.ftp"
  Severity severity = Severity::info;
  double confidence = 1.0;  // 0..1
  std::string title;
  std::string description;
  nlohmann::json evidence = nlohmann::json::object();
  // Names of evidence fields that tell one problem from another of the same
  // type on the same asset (e.g. {"path","rule"} for a YARA hit on a file).
  std::vector<std::string> fingerprint_fields;
  std::vector<Reference> references;
  Micros first_seen = 0;
  Micros last_seen = 0;
  std::uint64_t count = 1;
  Status status = Status::open_new;
};

// SHA-256 over tenant, asset identity, type and the fingerprint_fields of the
// evidence, in a canonical JSON encoding: the same problem gets the same id on
// every scan, so the store updates it instead of duplicating it.
std::string fingerprint(const Finding& f);
// Same, taking the key fields from `evidence` instead of f.evidence (the
// import path keeps the evidence as text and passes just those fields).
std::string fingerprint(const Finding& f, const nlohmann::json& evidence);
// Same, with the key fields given as the text nlohmann would dump for them
// (compact, keys sorted), written into `id`. The import path builds that text
// straight from its parser's DOM; every string of `f` must be valid UTF-8
// (the nlohmann path throws on invalid UTF-8 instead).
void fingerprint(const Finding& f, std::string_view key_fields_json, std::string& id);

// Replaces the values of secret-looking evidence keys (password, passwd,
// secret, token, authorization, cookie, private_key...) with "<redacted>",
// recursively. Booleans are kept: `password_present: true` is the point.
void redact_secrets(nlohmann::json& evidence);
// The key test redact_secrets() applies (case-insensitive).
bool is_secret_key(std::string_view key);
// A dotted lower-case id like "net.auth.cleartext.ftp".
bool valid_finding_type(std::string_view type);

// {"base64": ..., "size": original size, "truncated": bool}, capped at kMaxExcerptBytes.
nlohmann::json evidence_excerpt(std::string_view raw, std::size_t cap = kMaxExcerptBytes);

nlohmann::json to_json(const Finding& f);

// A finding's scalar fields as views (into a store row, or into a Finding),
// with evidence, references and fingerprint_fields as JSON text: what output
// needs without copying a row into a Finding first.
struct FindingView {
  int schema_version = kFindingSchemaVersion;
  std::string_view id, tenant, ip, mac, hostname, host_id;
  Source source = Source::scanner;
  std::string_view type;
  Severity severity = Severity::info;
  double confidence = 1.0;
  std::string_view title, description;
  std::string_view evidence_json, references_json, fingerprint_fields_json;  // empty: {} / []
  Micros first_seen = 0, last_seen = 0;
  std::uint64_t count = 1;
  Status status = Status::open_new;
  // The scalar fields as a Finding (evidence, references, fingerprint_fields empty).
  Finding bare() const;
};

// Appends to_json(f).dump() (same bytes, keys sorted) with the evidence,
// references and fingerprint_fields copied through as text: listing a
// million-row store spent most of its time decoding and re-encoding those per
// row, then copying each row into a Finding.
void append_json(std::string& out, const FindingView& f);
// The same for a Finding whose JSON members are given as text.
void append_json(std::string& out, const Finding& f, std::string_view evidence_json,
                 std::string_view references_json, std::string_view fingerprint_fields_json);

// Strict: every field present and well-formed (a finding we wrote ourselves).
Result<Finding> finding_from_json(const nlohmann::json& j);
// Lenient, for other tools feeding Vigil: id, first_seen, last_seen, count,
// status and schema_version may be missing and are filled in (now, 1, new,
// fingerprint). `tenant` overrides/sets the tenant when not empty.
Result<Finding> finding_from_import(const nlohmann::json& j, const std::string& tenant, Micros now);

}  // namespace vigil::core

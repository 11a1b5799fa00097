// Reading imported findings fast. A million-finding import spent most of its
// parse time building a nlohmann DOM per line and re-serialising the evidence;
// simdjson's DOM parser validates a line several times faster, and the
// evidence is kept as compact JSON text, which is what the store writes.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/finding/finding.h"

namespace vigil::core {

struct ImportedFinding {
  Finding finding;            // `evidence` left empty: see evidence_json
  std::string evidence_json;  // the evidence as a compact JSON object, secrets redacted
};

// One per thread (it reuses simdjson's buffers).
class ImportReader {
 public:
  ImportReader();
  ~ImportReader();
  ImportReader(ImportReader&&) noexcept;
  ImportReader& operator=(ImportReader&&) noexcept;

  // The same finding (and id) as finding_from_import(json::parse(line),
  // tenant, now), and on a bad line that function's exact message ("not valid
  // JSON" when the line does not parse). Lines the fast reader cannot vouch
  // for (errors, secrets to redact, duplicate keys, huge evidence) take that
  // slower path, so both always agree.
  Result<ImportedFinding> read(std::string_view line, const std::string& tenant, Micros now);
  // Same, into `out`, whatever it held before: its strings and vectors keep
  // their capacity, so an importer that recycles its ImportedFindings parses
  // a typical line without allocating (and the writer frees nothing).
  // `padded`: at least JsonLinesReader::kPadding readable bytes follow the
  // line (true of its next_line()), so it is parsed where it lies.
  vigil::Status read(std::string_view line, const std::string& tenant, Micros now,
                     ImportedFinding& out, bool padded = false);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::core

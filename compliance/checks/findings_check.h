// urn:vigil:check:findings — a rule's check selects findings (type prefixes, minimum
// severity, evidence fields); fail when one exists for the host, pass when a source that
// could have seen it observed the host and none exists, notchecked otherwise.
// Contract: docs/findings-check.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compliance/checks/check_engine.h"
#include "compliance/checks/findings_set.h"

namespace vigil::compliance {

struct FindingsQuery {
  std::vector<std::string> type_prefixes;
  core::Severity min_severity = core::Severity::info;
  double min_confidence = 0.0;
  std::optional<core::Source> source;  // who could have seen it (derived from the type if unset)
  struct EvidenceMatch {
    std::string field;  // dotted path into evidence
    std::optional<std::string> value;
  };
  std::vector<EvidenceMatch> evidence;
};

// Parses the <findings> element carried in <check-content>.
Result<FindingsQuery> parse_findings_query(const std::string& xml, const std::string& where);
bool type_matches(const std::string& type, const std::string& prefix);

class FindingsCheck : public CheckEngine {
 public:
  explicit FindingsCheck(const Target& t) : target_(t) {}
  bool has(const Component&, const std::string&) override { return false; }
  std::vector<CheckOutcome> evaluate(const CheckCall& call) override;

 private:
  const Target& target_;
};

}  // namespace vigil::compliance

// The check-system boundary: XCCDF hands a <check> to the engine registered for its system
// URI (OVAL, urn:vigil:check:findings...). The list of engines is check_list.h.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compliance/checks/asset_identity.h"
#include "compliance/ds/content.h"
#include "compliance/xccdf/model.h"

namespace vigil::compliance {

struct FindingSet;

// What is being assessed: a root directory or a facts file for host checks, finding files
// for urn:vigil:check:findings, and who the host is.
struct Target {
  std::string root;        // --root DIR ("/" = the live host); empty with --facts
  std::string facts_path;  // --facts FILE
  HostIdentity host;
  const FindingSet* findings = nullptr;
};

struct CheckCall {
  const Content* content = nullptr;
  const Component* component = nullptr;  // resolved href; null for inline content
  std::string href, name;                // name empty: every definition of the component
  bool multi_check = false;
  // check-export: OVAL external variable id -> value(s), from the XCCDF Values.
  std::map<std::string, std::vector<std::string>> external_vars;
  std::string inline_content;  // serialised children of <check-content>
  std::string where;           // "FILE:LINE" of the <check>, for messages
};

struct CheckOutcome {
  RuleResult result = RuleResult::kUnknown;
  std::string name;     // definition id (multi-check instance)
  std::string message;  // why (always set for error / notchecked / unknown)
  nlohmann::json evidence = nlohmann::json::array();
};

class CheckEngine {
 public:
  virtual ~CheckEngine() = default;
  // Whether `name` is present in the component (with several check-content-refs the
  // first one that exists is used, as XCCDF says). Empty name: the component is usable.
  virtual bool has(const Component& c, const std::string& name) = 0;
  // One outcome, or one per definition for multi-check.
  virtual std::vector<CheckOutcome> evaluate(const CheckCall& call) = 0;
};

// Engines for one evaluation (they keep per-run caches), created from check_list.h.
class CheckEngines {
 public:
  explicit CheckEngines(const Target& target);
  ~CheckEngines();
  // nullptr: no engine for this system URI.
  CheckEngine* find(std::string_view system);
  static std::vector<std::string> systems();

 private:
  std::map<std::string, std::unique_ptr<CheckEngine>, std::less<>> engines_;
};

inline constexpr const char* kOvalSystem = "http://oval.mitre.org/XMLSchema/oval-definitions-5";
inline constexpr const char* kFindingsSystem = "urn:vigil:check:findings";

}  // namespace vigil::compliance

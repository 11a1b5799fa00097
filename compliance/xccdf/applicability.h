// Platform applicability: XCCDF <platform idref> names either a CPE (looked up in the CPE
// dictionary, whose checks run through the check engines, i.e. OVAL) or a cpe-lang
// platform ("#id") whose logical test combines such facts with AND/OR/negate.
#pragma once

#include <map>
#include <string>

#include "compliance/checks/check_engine.h"
#include "compliance/ds/content.h"

namespace vigil::compliance {

enum class Applies { kYes, kNo, kUnknown };

class Applicability {
 public:
  Applicability(const Content& c, CheckEngines& engines) : content_(c), engines_(engines) {}
  // Several platforms on one item: applicable when any applies (XCCDF: OR).
  Applies platforms(const std::vector<std::string>& idrefs, std::string* why);
  Applies platform(const std::string& idref, std::string* why);

 private:
  Applies cpe_name(const std::string& name, std::string* why);
  Applies logical(const LogicalTest& t, std::string* why, int depth);
  const Content& content_;
  CheckEngines& engines_;
  std::map<std::string, std::pair<Applies, std::string>> cache_;
};

}  // namespace vigil::compliance

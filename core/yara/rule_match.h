// What a matching YARA rule says about itself: identifier, namespace, tags and
// metadata, read the same way for files on a scanned host (scanner/yara) and
// for bytes seen on the wire (sensor/detect/yara.cpp), so a rule's findings
// carry the same evidence whichever side matched it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

struct YR_RULE;  // libyara's; only the .cpp includes <yara.h>

namespace vigil::core::yara {

struct RuleMatch {
  std::string rule, ns;
  std::vector<std::string> tags;
  nlohmann::json meta = nlohmann::json::object();
};

// Called from a scan callback on CALLBACK_MSG_RULE_MATCHING. A duplicate meta
// identifier (legal in YARA) keeps its first value; integers and booleans stay
// JSON numbers and booleans.
RuleMatch describe_rule(const YR_RULE* rule);

}  // namespace vigil::core::yara

// XCCDF 1.1 / 1.2 element parsers: Benchmark (with its groups, rules, values, profiles and
// cpe-lang platform specification) and Tailoring. Errors name the file, line and element id.
#pragma once

#include <string>
#include <vector>

#include <pugixml.hpp>

#include "compliance/xccdf/model.h"
#include "compliance/xccdf/xml.h"
#include "core/util/result.h"

namespace vigil::compliance {

inline constexpr const char* kXccdf12Ns = "http://checklists.nist.gov/xccdf/1.2";
inline constexpr const char* kXccdf11Ns = "http://checklists.nist.gov/xccdf/1.1";

Result<Benchmark> parse_benchmark(const pugi::xml_node& bench, const XmlDoc& doc);
Result<Profile> parse_profile(const pugi::xml_node& node, const XmlDoc& doc);
LogicalTest parse_logical_test(const pugi::xml_node& node);

struct Tailoring {
  std::string id, benchmark_href, version, path;
  std::vector<Profile> profiles;
};
Result<Tailoring> parse_tailoring(const pugi::xml_node& node, const XmlDoc& doc);
// Loads a tailoring file (a standalone xccdf:Tailoring, or the first one inside a datastream).
Result<Tailoring> load_tailoring(const std::string& path);

}  // namespace vigil::compliance

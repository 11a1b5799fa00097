// String forms of the XCCDF enumerations (as they appear in XCCDF and in our results JSON).
#include <array>

#include "compliance/xccdf/model.h"

namespace vigil::compliance {

namespace {
constexpr std::array<std::string_view, 9> kResults = {"pass",        "fail",          "error",
                                                      "unknown",     "notapplicable", "notchecked",
                                                      "notselected", "informational", "fixed"};
constexpr std::array<std::string_view, 3> kRoles = {"full", "unscored", "unchecked"};
}  // namespace

std::string_view to_string(RuleResult r) {
  return kResults[static_cast<std::size_t>(r)];
}

std::optional<RuleResult> parse_rule_result(std::string_view s) {
  for (std::size_t i = 0; i < kResults.size(); ++i)
    if (kResults[i] == s) return static_cast<RuleResult>(i);
  return std::nullopt;
}

std::string_view to_string(Role r) {
  return kRoles[static_cast<std::size_t>(r)];
}

std::optional<Role> parse_role(std::string_view s) {
  for (std::size_t i = 0; i < kRoles.size(); ++i)
    if (kRoles[i] == s) return static_cast<Role>(i);
  return std::nullopt;
}

std::optional<std::string> normalize_severity(std::string_view s) {
  for (std::string_view v : {"unknown", "info", "low", "medium", "high"})
    if (v == s) return std::string(v);
  return std::nullopt;
}

const Profile* Benchmark::profile(std::string_view pid) const {
  for (const auto& p : profiles)
    if (p.id == pid) return &p;
  return nullptr;
}

const Item* Benchmark::item(const std::string& iid) const {
  if (auto it = rules.find(iid); it != rules.end()) return &it->second;
  if (auto it = groups.find(iid); it != groups.end()) return &it->second;
  if (auto it = value_items.find(iid); it != value_items.end()) return &it->second;
  return nullptr;
}

}  // namespace vigil::compliance

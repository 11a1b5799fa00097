// A benchmark seen through one profile (and optional tailoring): which items are selected,
// the value of every Value, and the refined weight/severity/role/check selector of rules.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "compliance/xccdf/model.h"
#include "compliance/xccdf/parse.h"
#include "core/util/result.h"

namespace vigil::compliance {

// How a list-valued Value (complex-value items) is shown where one string is
// expected: items joined by ", " (check-export display, TestResult set-value).
std::string join_value_items(const std::vector<std::string>& items);

class Policy {
 public:
  // profile_id empty: the benchmark defaults. Accepts a full id or the short name after
  // "_profile_" ("cis_level1_server"), like oscap. Tailoring profiles come first.
  static Result<Policy> make(const Benchmark& b, std::string_view profile_id,
                             const Tailoring* tailoring = nullptr);

  const Benchmark& benchmark() const { return *bench_; }
  const std::string& profile_id() const { return profile_id_; }
  const std::string& profile_title() const { return profile_title_; }
  bool from_tailoring() const { return from_tailoring_; }

  bool item_selected(const Item& it) const;
  // The rule and every enclosing group selected, and its requires/conflicts satisfied.
  bool rule_selected(const Rule& r, std::string* why = nullptr) const;
  // The value a Value takes under this profile; nullopt for an unknown value id.
  std::optional<std::string> value(const std::string& value_id) const;
  // Every value it takes: the items of a complex-value, else the one value() (for
  // check-export into OVAL external variables). nullopt for an unknown value id.
  std::optional<std::vector<std::string>> value_list(const std::string& value_id) const;
  double weight(const Item& it) const;
  std::string severity(const Rule& r) const;
  Role role(const Rule& r) const;
  std::string check_selector(const Rule& r) const;
  // Values that the profile changed, in id order (reported as TestResult set-value).
  std::map<std::string, std::string> changed_values() const;
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  Status apply(const Profile& p, const Tailoring* t, int depth);
  const Benchmark* bench_ = nullptr;
  std::string profile_id_, profile_title_;
  bool from_tailoring_ = false;
  std::map<std::string, bool> selected_;                         // item id -> selected
  std::map<std::string, std::string> set_values_;                // set-value
  std::map<std::string, std::vector<std::string>> set_complex_;  // set-complex-value
  std::map<std::string, std::string> value_selectors_;           // refine-value selector
  std::map<std::string, RefineRule> refines_;                    // item id -> merged refinement
  std::multimap<std::string, std::string> clusters_;             // cluster-id -> item ids
  std::vector<std::string> warnings_;
};

}  // namespace vigil::compliance

// The XCCDF data model (1.1 and 1.2 share it): benchmark, groups, rules, values, profiles,
// and the result types. Plain values, filled by the loader (compliance/xccdf/parse_*.cpp),
// read by the evaluator, the scorer and the result writers.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::compliance {

// XCCDF 1.2 result types (ResultEnumType), in the specification's order.
enum class RuleResult {
  kPass,
  kFail,
  kError,
  kUnknown,
  kNotApplicable,
  kNotChecked,
  kNotSelected,
  kInformational,
  kFixed,
};
std::string_view to_string(RuleResult r);
std::optional<RuleResult> parse_rule_result(std::string_view s);

enum class Role { kFull, kUnscored, kUnchecked };
std::string_view to_string(Role r);
std::optional<Role> parse_role(std::string_view s);

// XCCDF severity: unknown, info, low, medium, high.
std::optional<std::string> normalize_severity(std::string_view s);

struct XccdfReference {
  std::string href;  // identifies the framework (e.g. a CIS Controls / NIST URL)
  std::string text;  // the control id ("4.1", "AC-17(2)"...)
};

struct Ident {
  std::string system, value;
};

struct CheckContentRef {
  std::string href;
  std::string name;  // empty: the whole target (all definitions)
};

struct CheckExport {
  std::string value_id, export_name;
};

// One <check> (or a complex-check node: op/negate/children, no system).
struct Check {
  bool complex = false;
  // Leaf.
  std::string system;
  std::string selector;
  bool multi_check = false;
  bool negate = false;  // complex-check only
  std::vector<CheckExport> exports;
  std::vector<CheckContentRef> refs;
  std::string inline_content_xml;  // serialised <check-content> children, kept for the engine
  int line = 0;                    // line of the element in its file (for messages)
  // Complex.
  std::string op = "AND";  // AND | OR
  std::vector<Check> children;
};

struct Fix {
  std::string id, system, strategy, complexity, disruption, reboot, platform;
  std::string text;
};

struct FixText {
  std::string text, fixref;
};

enum class ItemKind { kGroup, kRule, kValue };

struct Item {
  ItemKind kind = ItemKind::kRule;
  std::string id;
  std::string title, description, rationale;
  std::vector<std::string> warnings;
  bool selected = true;
  bool hidden = false;
  bool abstract = false;
  double weight = 1.0;
  std::string cluster_id;
  std::string extends;
  std::vector<std::string> platforms;               // idrefs (CPE names or #platform ids)
  std::vector<std::vector<std::string>> requires_;  // each entry: OR-list of idrefs
  std::vector<std::string> conflicts;
  std::vector<XccdfReference> references;
  std::string parent;  // enclosing group id, empty at the benchmark level
  int line = 0;
};

struct Rule : Item {
  std::string severity = "unknown";
  Role role = Role::kFull;
  bool multiple = false;
  std::vector<Ident> idents;
  std::vector<Check> checks;           // <check> elements in document order
  std::optional<Check> complex_check;  // takes precedence over checks
  std::vector<FixText> fixtexts;
  std::vector<Fix> fixes;
};

struct Value : Item {
  std::string type = "string";  // string | number | boolean
  std::string op = "equals";
  std::map<std::string, std::string> values;  // selector ("" = default) -> value
  // XCCDF 1.2 complex-value: selector -> list of <item>s (exported as a multi-valued
  // OVAL external variable).
  std::map<std::string, std::vector<std::string>> complex_values;
};

struct Group : Item {
  std::vector<std::string> children;  // ids of rules/groups in document order
  std::vector<std::string> values;    // ids of values declared in the group
};

struct RefineRule {
  std::string idref, selector, severity, role;
  std::optional<double> weight;
};

struct RefineValue {
  std::string idref, selector, op;
};

struct Profile {
  std::string id, title, description, extends;
  bool abstract = false;
  std::vector<std::pair<std::string, bool>> selects;  // idref -> selected, in order
  std::vector<std::pair<std::string, std::string>> set_values;
  // XCCDF 1.2 set-complex-value: idref -> the <item>s it sets (a list-valued Value).
  std::vector<std::pair<std::string, std::vector<std::string>>> set_complex_values;
  std::vector<RefineValue> refine_values;
  std::vector<RefineRule> refine_rules;
  int line = 0;
};

// cpe-lang:platform logical test (AND/OR, negate) over fact-refs (CPE names).
struct LogicalTest {
  std::string op = "AND";
  bool negate = false;
  std::vector<std::string> fact_refs;
  std::vector<LogicalTest> children;
};

struct CpePlatform {
  std::string id, title;
  LogicalTest test;
};

struct Benchmark {
  std::string id, version, title, description, status;
  std::string xccdf_ns;  // the namespace URI: tells 1.1 from 1.2
  std::vector<std::string> platforms;
  std::vector<std::string> models;  // declared scoring models (default when empty)
  std::vector<std::string> top;     // top-level rules/groups in document order
  std::vector<std::string> values;  // top-level values
  std::map<std::string, Rule> rules;
  std::map<std::string, Group> groups;
  std::map<std::string, Value> value_items;
  std::vector<Profile> profiles;
  std::map<std::string, CpePlatform> cpe_platforms;  // platform-specification ids
  // Item ids in document order: rules, groups (the order results are reported in).
  std::vector<std::string> rule_order;

  const Profile* profile(std::string_view id) const;
  const Item* item(const std::string& id) const;
};

}  // namespace vigil::compliance

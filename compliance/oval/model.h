// In-memory form of an OVAL 5.11 definitions document (what the loader produces and
// the evaluator walks). Element types are kept by local name ("file_object"...).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scanner/collectors/compare.h"
#include "scanner/collectors/types.h"

namespace vigil::compliance::oval {

using scanner::Check;
using scanner::Datatype;
using scanner::Operation;
using scanner::Operator;

enum class Existence { kAllExist, kAnyExist, kAtLeastOneExists, kNoneExist, kOnlyOneExists };

// An entity of an object or a state (<unix:filepath operation=... var_ref=...>).
struct Entity {
  std::string name;
  Datatype datatype = Datatype::kString;
  Operation operation = Operation::kEquals;
  std::string value;
  std::string var_ref;
  Check var_check = Check::kAll;
  Check entity_check = Check::kAll;
  Existence check_existence = Existence::kAtLeastOneExists;
  bool nil = false;
  int line = 0;
};

struct Filter {
  std::string state_ref;
  bool include = false;  // action="include"; default exclude
};

struct Set {
  enum class Op { kUnion, kIntersection, kComplement } op = Op::kUnion;
  std::vector<std::string> object_refs;
  std::vector<Filter> filters;
  std::vector<Set> sets;
};

struct Object {
  std::string id;
  std::string type;  // "file_object"
  std::vector<Entity> entities;
  std::map<std::string, std::string> behaviors;
  std::vector<Filter> filters;
  std::optional<Set> set;
  int line = 0;
};

struct State {
  std::string id;
  std::string type;
  Operator op = Operator::kAnd;
  std::vector<Entity> entities;
  int line = 0;
};

struct Test {
  std::string id;
  std::string type;  // "file_test"
  std::string comment;
  Check check = Check::kAll;
  Existence existence = Existence::kAtLeastOneExists;
  Operator state_operator = Operator::kAnd;
  std::string object_ref;
  std::vector<std::string> state_refs;
  int line = 0;
};

struct Criteria {
  enum class Kind { kCriteria, kCriterion, kExtend } kind = Kind::kCriteria;
  Operator op = Operator::kAnd;
  bool negate = false;
  std::string ref;  // test_ref or definition_ref
  std::vector<Criteria> children;
};

struct Definition {
  std::string id;
  std::string klass;
  std::string title;
  std::optional<Criteria> criteria;
  int line = 0;
};

// Local-variable component tree.
struct Component {
  std::string kind;        // literal_component, object_component, variable_component, or a function
  std::string value;       // literal
  std::string object_ref;  // object_component
  std::string item_field;  // object_component
  std::string var_ref;     // variable_component
  std::map<std::string, std::string> attrs;  // function attributes
  std::vector<Component> args;
};

struct Variable {
  std::string id;
  enum class Kind { kConstant, kExternal, kLocal } kind = Kind::kConstant;
  Datatype datatype = Datatype::kString;
  std::vector<std::string> values;     // constant
  std::optional<Component> component;  // local
  int line = 0;
};

// A loaded document. Everything is copied out of the XML, so it outlives the parser.
struct Document {
  std::string origin;  // file name (for messages)
  std::vector<std::string> definition_order;
  std::map<std::string, Definition> definitions;
  std::map<std::string, Test> tests;
  std::map<std::string, Object> objects;
  std::map<std::string, State> states;
  std::map<std::string, Variable> variables;
};

}  // namespace vigil::compliance::oval

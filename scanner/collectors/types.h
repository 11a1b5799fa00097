// The OVAL system-characteristics model shared by collectors (scanner) and the OVAL
// engine (compliance): what an object asks for (ObjectQuery) and what a collector
// found (Collection of Items). Plain values so collections can be saved as facts.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::scanner {

// OVAL 5.11 DatatypeEnumeration (the ones we compare; unknown names are refused by the loader).
enum class Datatype {
  kString,
  kInt,
  kBoolean,
  kFloat,
  kVersion,
  kEvrString,
  kDebianEvrString,
  kBinary,
  kIpv4,
  kIpv6,
  kFilesetRevision,
  kIosVersion,
  kRecord,
};

enum class Operation {
  kEquals,
  kNotEqual,
  kCaseInsensitiveEquals,
  kCaseInsensitiveNotEqual,
  kGreaterThan,
  kLessThan,
  kGreaterThanOrEqual,
  kLessThanOrEqual,
  kBitwiseAnd,
  kBitwiseOr,
  kPatternMatch,
  kSubsetOf,
  kSupersetOf,
};

// CheckEnumeration (also used for var_check / entity_check).
enum class Check { kAll, kAtLeastOne, kNoneSatisfy, kOnlyOne };

// OVAL results, in the order OpenSCAP enumerates them.
enum class Tri { kTrue, kFalse, kUnknown, kError, kNotEvaluated, kNotApplicable };

// Collected object flag (system-characteristics FlagEnumeration).
enum class Flag { kError, kComplete, kIncomplete, kDoesNotExist, kNotCollected, kNotApplicable };

// Item / item entity status.
enum class Status { kExists, kDoesNotExist, kError, kNotCollected };

std::optional<Datatype> datatype_from(std::string_view s);
std::optional<Operation> operation_from(std::string_view s);
std::optional<Check> check_from(std::string_view s);
const char* to_string(Datatype d);
const char* to_string(Operation o);
const char* to_string(Tri r);
const char* to_string(Flag f);
const char* to_string(Status s);
std::optional<Flag> flag_from(std::string_view s);
std::optional<Status> status_from(std::string_view s);

// One entity of an object after variable resolution. `values` holds one value for a
// literal entity and every value of the variable for a var_ref entity (var_check says
// how they combine). nil = xsi:nil="true" (e.g. file_object filename nil: the directory).
struct ObjectEntity {
  std::string name;
  Datatype datatype = Datatype::kString;
  Operation operation = Operation::kEquals;
  Check var_check = Check::kAll;
  std::vector<std::string> values;
  bool nil = false;
};

struct Item;

// What a collector is asked to collect: the object's type (e.g. "textfilecontent54_object"),
// its entities in document order and its behaviors attributes.
struct ObjectQuery {
  std::string type;
  std::vector<ObjectEntity> entities;
  std::map<std::string, std::string> behaviors;
  // Optional early filter (the object's <filter>s, set by the OVAL engine): collectors that
  // produce many items (file walks) drop an item at once when keep() says so instead of
  // holding every item until the engine filters them. Not part of canonical(); the engine
  // still applies the filters afterwards, so a collector may ignore it.
  std::function<bool(const Item&)> keep;

  const ObjectEntity* entity(std::string_view name) const;
  // Stable text form, used to key facts files.
  std::string canonical() const;
};

struct ItemField {
  std::string name;
  std::string value;
  Datatype datatype = Datatype::kString;
  Status status = Status::kExists;
};

struct Item {
  std::string type;  // e.g. "file_item"
  Status status = Status::kExists;
  std::vector<ItemField> fields;
  std::string message;  // why an item is in error
  // Evidence: where the item came from (file and 1-based line when known).
  std::string source_file;
  int line = 0;

  void add(std::string name, std::string value, Datatype dt = Datatype::kString) {
    fields.push_back({std::move(name), std::move(value), dt, Status::kExists});
  }
  const ItemField* field(std::string_view name) const;
};

struct Collection {
  Flag flag = Flag::kComplete;
  std::vector<Item> items;
  std::vector<std::string> messages;

  static Collection with_flag(Flag f, std::string message = {}) {
    Collection c;
    c.flag = f;
    if (!message.empty()) c.messages.push_back(std::move(message));
    return c;
  }
};

}  // namespace vigil::scanner

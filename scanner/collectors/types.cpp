// Text forms of the OVAL enumerations, exactly as the schemas spell them.
#include "scanner/collectors/types.h"

#include <array>
#include <utility>

namespace vigil::scanner {
namespace {

constexpr std::array<std::pair<const char*, Datatype>, 13> kDatatypes{{
    {"string", Datatype::kString},
    {"int", Datatype::kInt},
    {"boolean", Datatype::kBoolean},
    {"float", Datatype::kFloat},
    {"version", Datatype::kVersion},
    {"evr_string", Datatype::kEvrString},
    {"debian_evr_string", Datatype::kDebianEvrString},
    {"binary", Datatype::kBinary},
    {"ipv4_address", Datatype::kIpv4},
    {"ipv6_address", Datatype::kIpv6},
    {"fileset_revision", Datatype::kFilesetRevision},
    {"ios_version", Datatype::kIosVersion},
    {"record", Datatype::kRecord},
}};

constexpr std::array<std::pair<const char*, Operation>, 13> kOperations{{
    {"equals", Operation::kEquals},
    {"not equal", Operation::kNotEqual},
    {"case insensitive equals", Operation::kCaseInsensitiveEquals},
    {"case insensitive not equal", Operation::kCaseInsensitiveNotEqual},
    {"greater than", Operation::kGreaterThan},
    {"less than", Operation::kLessThan},
    {"greater than or equal", Operation::kGreaterThanOrEqual},
    {"less than or equal", Operation::kLessThanOrEqual},
    {"bitwise and", Operation::kBitwiseAnd},
    {"bitwise or", Operation::kBitwiseOr},
    {"pattern match", Operation::kPatternMatch},
    {"subset of", Operation::kSubsetOf},
    {"superset of", Operation::kSupersetOf},
}};

}  // namespace

std::optional<Datatype> datatype_from(std::string_view s) {
  for (const auto& [n, d] : kDatatypes)
    if (s == n) return d;
  return std::nullopt;
}
std::optional<Operation> operation_from(std::string_view s) {
  for (const auto& [n, o] : kOperations)
    if (s == n) return o;
  return std::nullopt;
}
std::optional<Check> check_from(std::string_view s) {
  if (s == "all") return Check::kAll;
  if (s == "at least one") return Check::kAtLeastOne;
  // "none exist" is deprecated; OpenSCAP converts it to "none satisfy".
  if (s == "none satisfy" || s == "none exist") return Check::kNoneSatisfy;
  if (s == "only one") return Check::kOnlyOne;
  return std::nullopt;
}
const char* to_string(Datatype d) {
  for (const auto& [n, x] : kDatatypes)
    if (x == d) return n;
  return "string";
}
const char* to_string(Operation o) {
  for (const auto& [n, x] : kOperations)
    if (x == o) return n;
  return "equals";
}
const char* to_string(Tri r) {
  switch (r) {
    case Tri::kTrue:
      return "true";
    case Tri::kFalse:
      return "false";
    case Tri::kUnknown:
      return "unknown";
    case Tri::kError:
      return "error";
    case Tri::kNotEvaluated:
      return "not evaluated";
    case Tri::kNotApplicable:
      return "not applicable";
  }
  return "error";
}
const char* to_string(Flag f) {
  switch (f) {
    case Flag::kError:
      return "error";
    case Flag::kComplete:
      return "complete";
    case Flag::kIncomplete:
      return "incomplete";
    case Flag::kDoesNotExist:
      return "does not exist";
    case Flag::kNotCollected:
      return "not collected";
    case Flag::kNotApplicable:
      return "not applicable";
  }
  return "error";
}
const char* to_string(Status s) {
  switch (s) {
    case Status::kExists:
      return "exists";
    case Status::kDoesNotExist:
      return "does not exist";
    case Status::kError:
      return "error";
    case Status::kNotCollected:
      return "not collected";
  }
  return "error";
}
std::optional<Flag> flag_from(std::string_view s) {
  for (Flag f : {Flag::kError, Flag::kComplete, Flag::kIncomplete, Flag::kDoesNotExist,
                 Flag::kNotCollected, Flag::kNotApplicable})
    if (s == to_string(f)) return f;
  return std::nullopt;
}
std::optional<Status> status_from(std::string_view s) {
  for (Status x : {Status::kExists, Status::kDoesNotExist, Status::kError, Status::kNotCollected})
    if (s == to_string(x)) return x;
  return std::nullopt;
}

const ObjectEntity* ObjectQuery::entity(std::string_view name) const {
  for (const auto& e : entities)
    if (e.name == name) return &e;
  return nullptr;
}

std::string ObjectQuery::canonical() const {
  // Length-prefixed so no value can forge a separator.
  std::string out = type;
  auto put = [&out](std::string_view s) {
    out += '|';
    out += std::to_string(s.size());
    out += ':';
    out += s;
  };
  for (const auto& e : entities) {
    put(e.name);
    put(to_string(e.datatype));
    put(to_string(e.operation));
    put(std::to_string(static_cast<int>(e.var_check)));
    put(e.nil ? "nil" : "");
    for (const auto& v : e.values) put(v);
    out += ';';
  }
  for (const auto& [k, v] : behaviors) {
    put(k);
    put(v);
  }
  return out;
}

const ItemField* Item::field(std::string_view name) const {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace vigil::scanner

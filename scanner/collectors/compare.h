// OVAL entity comparison ("item value OP state value" for every datatype) and the
// result-combination tables (check / operator) as OpenSCAP implements them.
#pragma once

#include <string>
#include <string_view>

#include "scanner/collectors/types.h"

namespace vigil::scanner {

enum class Operator { kAnd, kOne, kOr, kXor };

// Tally of results, combined by a check or a logical operator (OVAL 5.11 truth tables).
struct Counts {
  int t = 0, f = 0, u = 0, e = 0, ne = 0, na = 0;
  void add(Tri r);
  bool empty() const { return t + f + u + e + ne + na == 0; }
};
Tri by_check(const Counts& c, Check check);
Tri by_operator(const Counts& c, Operator op);
Tri negate(Tri r);

// Compares a collected value with a state/object value (the state's datatype governs).
// `error` receives the reason for an error result.
Tri compare(Datatype dt, Operation op, std::string_view state_value, std::string_view item_value,
            std::string* error = nullptr);

// Object-entity match: every value of the entity compared, combined by var_check.
Tri match_entity(const ObjectEntity& e, std::string_view item_value, std::string* error = nullptr);

// Version orderings, exposed for tests. Negative/zero/positive like strcmp.
int rpmvercmp(std::string_view a, std::string_view b);
int dpkg_verrevcmp(std::string_view a, std::string_view b);
int evr_compare(std::string_view a, std::string_view b);         // rpm epoch:version-release
int debian_evr_compare(std::string_view a, std::string_view b);  // dpkg epoch:upstream-revision

}  // namespace vigil::scanner

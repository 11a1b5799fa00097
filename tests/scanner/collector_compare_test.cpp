// Entity comparisons per datatype and the OVAL result tables. Debian version ordering
// is checked against the real `dpkg --compare-versions`.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "scanner/collectors/compare.h"

using namespace vigil::scanner;

namespace {

int dpkg_says(const std::string& a, const std::string& b) {
  auto run = [&](const char* op) {
    std::string cmd = "dpkg --compare-versions '" + a + "' " + op + " '" + b + "'";
    return std::system(cmd.c_str()) == 0;
  };
  if (run("lt")) return -1;
  if (run("gt")) return 1;
  return 0;
}

int sign(int v) {
  return v < 0 ? -1 : (v > 0 ? 1 : 0);
}

}  // namespace

TEST_CASE("compare: debian_evr_string follows dpkg exactly", "[compare]") {
  const char* versions[] = {"1.0",
                            "1.0-1",
                            "1:0.9",
                            "1.0~rc1",
                            "1.0~rc1-1",
                            "1.0+deb1",
                            "1.0a",
                            "1.0.1",
                            "0:1.0",
                            "2.36-9+deb12u4",
                            "2.36-9",
                            "1.17-18",
                            "8.9p1-3ubuntu0.1",
                            "8.9p1-3",
                            "1.0~~",
                            "1.0~",
                            "1.00",
                            "1.0-0",
                            "10",
                            "9"};
  for (const char* a : versions)
    for (const char* b : versions) {
      INFO(a << " vs " << b);
      CHECK(sign(debian_evr_compare(a, b)) == dpkg_says(a, b));
    }
}

TEST_CASE("compare: evr_string uses rpm's rpmvercmp", "[compare]") {
  CHECK(evr_compare("0:4.4", "0:4.4") == 0);
  CHECK(evr_compare("0:1.17-18", "0:1.17-19") < 0);
  CHECK(evr_compare("1:1.0", "0:9.9") > 0);
  CHECK(rpmvercmp("1.0~rc1", "1.0") < 0);
  CHECK(rpmvercmp("1.0a", "1.0") > 0);
  CHECK(rpmvercmp("1.010", "1.9") > 0);
  CHECK(compare(Datatype::kEvrString, Operation::kGreaterThanOrEqual, "0:7.4", "1:8.9p1-3") ==
        Tri::kTrue);
  CHECK(compare(Datatype::kEvrString, Operation::kLessThan, "0:1.17-18", "0:1.17-2") == Tri::kTrue);
}

TEST_CASE("compare: int, boolean, string and errors", "[compare]") {
  CHECK(compare(Datatype::kInt, Operation::kLessThanOrEqual, "4", "4") == Tri::kTrue);
  CHECK(compare(Datatype::kInt, Operation::kGreaterThan, "4", " 5") == Tri::kTrue);
  CHECK(compare(Datatype::kInt, Operation::kEquals, "4", "4x") == Tri::kError);
  CHECK(compare(Datatype::kInt, Operation::kBitwiseAnd, "18", "22") == Tri::kTrue);  // 022 & 0022
  CHECK(compare(Datatype::kInt, Operation::kBitwiseAnd, "18", "2") == Tri::kFalse);
  CHECK(compare(Datatype::kBoolean, Operation::kEquals, "true", "1") == Tri::kTrue);
  CHECK(compare(Datatype::kBoolean, Operation::kEquals, "false", "yes") == Tri::kTrue);
  CHECK(compare(Datatype::kString, Operation::kCaseInsensitiveEquals, "No", "nO") == Tri::kTrue);
  CHECK(compare(Datatype::kString, Operation::kPatternMatch, "^a.c$", "abc") == Tri::kTrue);
  CHECK(compare(Datatype::kString, Operation::kPatternMatch, "(", "abc") == Tri::kError);
  CHECK(compare(Datatype::kString, Operation::kGreaterThan, "a", "b") == Tri::kError);
  CHECK(compare(Datatype::kFloat, Operation::kLessThan, "1.5", "1.25") == Tri::kTrue);
  CHECK(compare(Datatype::kVersion, Operation::kGreaterThanOrEqual, "1.2.10", "1.2.9") ==
        Tri::kFalse);
  CHECK(compare(Datatype::kIpv4, Operation::kSubsetOf, "10.0.0.0/8", "10.1.2.3") == Tri::kTrue);
  CHECK(compare(Datatype::kIpv6, Operation::kEquals, "::1", "0:0::1") == Tri::kTrue);
  CHECK(compare(Datatype::kIosVersion, Operation::kEquals, "1", "1") == Tri::kNotEvaluated);
}

TEST_CASE("compare: check and operator tables as OpenSCAP", "[compare]") {
  Counts c;
  CHECK(by_check(c, Check::kAll) == Tri::kUnknown);  // nothing to combine
  c.add(Tri::kTrue);
  c.add(Tri::kUnknown);
  c.add(Tri::kFalse);
  CHECK(by_check(c, Check::kAll) == Tri::kFalse);
  CHECK(by_check(c, Check::kAtLeastOne) == Tri::kTrue);
  Counts d;
  d.add(Tri::kFalse);
  d.add(Tri::kUnknown);
  CHECK(by_operator(d, Operator::kOr) == Tri::kUnknown);  // OR: unknown beats false
  CHECK(by_check(d, Check::kAtLeastOne) == Tri::kError);  // check: OpenSCAP's table
  Counts na;
  na.add(Tri::kNotApplicable);
  CHECK(by_operator(na, Operator::kAnd) == Tri::kNotApplicable);
  Counts x;
  x.add(Tri::kTrue);
  x.add(Tri::kTrue);
  CHECK(by_operator(x, Operator::kXor) == Tri::kFalse);
  CHECK(by_operator(x, Operator::kOne) == Tri::kFalse);
}

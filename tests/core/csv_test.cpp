// RFC 4180 cells with spreadsheet formulas neutralised (OWASP CSV injection).
#include <catch2/catch.hpp>

#include "core/util/csv.h"

using vigil::csv_cell;

TEST_CASE("CSV cells: quoting, doubled quotes and formulas neutralised") {
  CHECK(csv_cell("plain") == "plain");
  CHECK(csv_cell("") == "");
  CHECK(csv_cell("a,b") == "\"a,b\"");
  CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
  for (const char* f : {"=1+1", "+1", "-1", "@SUM(A1)", "\tx"})
    CHECK(csv_cell(f) == std::string("'") + f);
  CHECK(csv_cell("\rx") == "\"'\rx\"");  // a CR also needs quotes
  // A formula that also needs quotes: the quote mark goes inside.
  CHECK(csv_cell("=HYPERLINK(\"x\",\"y\")") == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
  CHECK(vigil::csv_row({"a", "=b", "c,d"}) == "a,'=b,\"c,d\"\r\n");
  std::string out = "x,";
  vigil::append_csv_cell(out, "-2");
  CHECK(out == "x,'-2");
}

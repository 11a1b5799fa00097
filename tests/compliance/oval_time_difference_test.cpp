// time_difference per OVAL 5.11, called directly with a fixed "now". Cases where oscap
// 1.3.7 computes the same are checked against oscap in tests/oracle/oval_coverage_oracle.cpp;
// the ones here include where it does not (docs/oval-semantics.md "time_difference").
#include <catch2/catch.hpp>

#include "compliance/oval/functions.h"

namespace ov = vigil::compliance::oval;

namespace {

ov::Values run(std::vector<std::string> first, std::vector<std::string> second, std::string f1 = "",
               std::string f2 = "", std::time_t now = 1700000000) {
  ov::Component c;
  c.kind = "time_difference";
  if (!f1.empty()) c.attrs["format_1"] = f1;
  if (!f2.empty()) c.attrs["format_2"] = f2;
  std::vector<ov::Values> args;
  for (auto* list : {&first, &second})
    if (!list->empty()) args.push_back(ov::Values{vigil::scanner::Flag::kComplete, *list, {}});
  return ov::time_difference(c, args, now);
}

std::vector<std::string> vals(const ov::Values& v) {
  return v.values;
}

}  // namespace

TEST_CASE("time_difference: every format, first minus second, in seconds", "[oval]") {
  using V = std::vector<std::string>;
  CHECK(vals(run({"20240102"}, {"20240101"})) == V{"86400"});
  CHECK(vals(run({"2024-01-02"}, {"2024-01-01 00:00:10"})) == V{"86390"});
  CHECK(vals(run({"2024/01/02 00:00:00"}, {"20240101T000000"})) == V{"86400"});
  // Across months and leap days (oscap shifts months by one here: 31 days).
  CHECK(vals(run({"20240301"}, {"20240201"})) == V{"2505600"});
  // Negative differences stay negative (oscap prints them as unsigned 64-bit numbers).
  CHECK(vals(run({"20240101"}, {"20240102"})) == V{"-86400"});
  CHECK(vals(run({"01/02/2024"}, {"01-01-2024 00:00:00"}, "month_day_year", "month_day_year")) ==
        V{"86400"});
  CHECK(vals(run({"January, 02 2024"}, {"Jan, 01 2024 12:00:00"}, "month_day_year",
                 "month_day_year")) == V{"43200"});
  CHECK(vals(run({"02/01/2024"}, {"01-01-2024"}, "day_month_year", "day_month_year")) ==
        V{"86400"});
  CHECK(vals(run({"1000"}, {"400"}, "seconds_since_epoch", "seconds_since_epoch")) == V{"600"});
  // Mixed formats are compared on the real instant (oscap: year_month_day off by 1900 years).
  CHECK(vals(run({"1000"}, {"19700101"}, "seconds_since_epoch", "year_month_day")) == V{"1000"});
  CHECK(vals(run({"20240102000000.000000+000"}, {"2024-01-01 00:00:00:000"}, "cim_datetime",
                 "cim_datetime")) == V{"86400"});
  CHECK(vals(run({"01-02-2024 00:00:00:000"}, {"1704067200"}, "cim_datetime",
                 "seconds_since_epoch")) == V{"86400"});
  // FILETIME (hex, 100 ns ticks since 1601): oscap 1.3.7 returns 0 for every value.
  CHECK(vals(run({"01DA3D0EA0F38000"}, {"0x01da3c457689c000"}, "win_filetime", "win_filetime")) ==
        V{"86400"});
  CHECK(vals(run({"01DA3C457689C000"}, {"1704067200"}, "win_filetime", "seconds_since_epoch")) ==
        V{"0"});
}

TEST_CASE("time_difference: one component is subtracted from now, read with format_2", "[oval]") {
  using V = std::vector<std::string>;
  CHECK(vals(run({"1699999000"}, {}, "year_month_day", "seconds_since_epoch")) == V{"1000"});
  CHECK(vals(run({"20231114"}, {}, "", "", 1700000000)) == V{"80000"});
}

TEST_CASE("time_difference: cartesian product and errors with the reason", "[oval]") {
  using V = std::vector<std::string>;
  CHECK(vals(run({"20240103", "20240102"}, {"20240101", "20240102"})) ==
        V{"172800", "86400", "86400", "0"});
  auto bad = run({"January 02, 2024"}, {"20240101"}, "month_day_year");
  CHECK(bad.flag == vigil::scanner::Flag::kError);
  CHECK(bad.message.find("January 02, 2024") != std::string::npos);
  auto fmt = run({"1"}, {"2"}, "fortnights");
  CHECK(fmt.flag == vigil::scanner::Flag::kError);
  CHECK(fmt.message.find("fortnights") != std::string::npos);
  CHECK(run({"12ab"}, {"1"}, "seconds_since_epoch", "seconds_since_epoch").flag ==
        vigil::scanner::Flag::kError);
}

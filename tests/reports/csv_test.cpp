// CSV report read back by a real CSV parser (Python's csv module): RFC 4180
// quoting survives commas, quotes and newlines, and no cell can start a formula.
#include <catch2/catch.hpp>

#include "tests/reports/report_fixtures.h"

using namespace vigil;

TEST_CASE("csv report: injection neutralised, parsed by python csv", "[csv]") {
  const std::string dir = test::tmp_dir("csv");
  auto rules = nlohmann::json::array();
  const std::vector<std::string> evil = {"=HYPERLINK(\"http://x\",\"y\")",
                                         "+1+1",
                                         "-2",
                                         "@SUM(A1)",
                                         "\tTAB",
                                         "\rCR",
                                         "a,b \"q\"\nnext line"};
  for (std::size_t i = 0; i < evil.size(); ++i)
    rules.push_back(test::rule("xccdf_r" + std::to_string(i), evil[i], i % 2 ? "pass" : "fail",
                               "high", test::oval_file_evidence("/etc/x" + std::to_string(i))));
  test::write_text(dir + "/r.json",
                   test::results("=cmd|' /C calc'!A0", "2026-11-26T12:00:00Z", rules).dump());
  test::write_findings(dir + "/f.jsonl", {test::finding("@evil", "=1+2", core::Severity::high,
                                                        "net.http.cleartext")});
  auto r = test::vigil("report --results " + dir + "/r.json --findings " + dir +
                       "/f.jsonl --format csv --out " + dir + "/out.csv");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const std::string raw = test::read_text(dir + "/out.csv");
  CHECK(raw.find("\r\n") != std::string::npos);  // RFC 4180 line ends

  auto parsed = test::run("/usr/bin/python3 -c " +
                          test::quote("import csv,json,sys; print(json.dumps(list(csv.reader("
                                      "open(sys.argv[1], newline='', encoding='utf-8')))))") +
                          " " + dir + "/out.csv");
  INFO(parsed.output);
  REQUIRE(parsed.exit_code == 0);
  auto rows = nlohmann::json::parse(parsed.output);
  REQUIRE(rows.size() == 1 + evil.size() + 1);  // header, rules, the finding
  const auto& head = rows[0];
  CHECK(head[0] == "record");
  CHECK(head[11] == "score_contribution");
  for (std::size_t i = 1; i < rows.size(); ++i) {
    REQUIRE(rows[i].size() == head.size());
    for (const auto& cell : rows[i]) {
      const std::string c = cell.get<std::string>();
      if (!c.empty()) CHECK(std::string("=+-@\t\r").find(c[0]) == std::string::npos);
    }
  }
  // Values come back exactly, with the neutralising quote.
  CHECK(rows[1][1] == "'=cmd|' /C calc'!A0");
  for (std::size_t i = 0; i < evil.size() - 1; ++i) CHECK(rows[1 + i][7] == "'" + evil[i]);
  CHECK(rows[evil.size()][7] == evil.back());  // no formula char: unchanged, quoted
  CHECK(rows[1][8] == "fail");
  CHECK(rows[2][8] == "pass");
  CHECK(rows[1][11] == "0");
  CHECK(rows[2][11] == "14.29");  // 7 scored rules of weight 1 -> 100/7 points each
  CHECK(rows[1][14].get<std::string>().find(
            "/etc/x0:12 textfilecontent_item false text=PermitRootLogin yes") == 0);
  const auto& f = rows.back();
  CHECK(f[0] == "finding");
  CHECK(f[1] == "'@evil");
  CHECK(f[6] == "net.http.cleartext");
  CHECK(f[7] == "Cleartext HTTP to =1+2");
  CHECK(f[15] == "3");
}

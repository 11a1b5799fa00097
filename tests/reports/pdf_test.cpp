// PDF through headless Chromium: page count (pdfinfo), first page not blank
// (pdftoppm -> PPM, pixel count), and the one-line error without Chromium.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "reports/pdf/chromium.h"
#include "tests/reports/report_fixtures.h"

using namespace vigil;

TEST_CASE("pdf report: pages and a non-blank first page", "[pdf]") {
  if (reports::find_chromium().empty()) FAIL("chromium missing: apt-get install chromium");
  const std::string dir = test::tmp_dir("pdf");
  auto rules = nlohmann::json::array();
  for (int i = 0; i < 30; ++i)
    rules.push_back(test::rule("xccdf_r" + std::to_string(i), "Rule " + std::to_string(i),
                               i % 2 ? "pass" : "fail", "medium",
                               test::oval_file_evidence("/etc/file" + std::to_string(i))));
  test::write_text(dir + "/a.json",
                   test::results("alpha", "2026-11-26T10:00:00Z", rules, 50).dump());
  test::write_text(dir + "/b.json",
                   test::results("beta", "2026-11-26T10:00:00Z", rules, 50).dump());
  auto r = test::vigil("report --results " + dir + "/a.json " + dir +
                       "/b.json --format pdf --out " + dir + "/r.pdf");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(test::read_text(dir + "/r.pdf").rfind("%PDF-", 0) == 0);
  auto info = test::run("pdfinfo " + dir + "/r.pdf");
  INFO(info.output);
  REQUIRE(info.exit_code == 0);
  int pages = 0;
  const auto at = info.output.find("Pages:");
  REQUIRE(at != std::string::npos);
  pages = std::atoi(info.output.c_str() + at + 6);
  // Summary + views, then a page break before each of the two hosts.
  CHECK(pages >= 3);
  auto ppm = test::run("pdftoppm -r 30 -f 1 -l 1 " + dir + "/r.pdf " + dir + "/page");
  REQUIRE(ppm.exit_code == 0);
  std::string img;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".ppm") img = test::read_text(e.path().string());
  REQUIRE(img.rfind("P6", 0) == 0);
  int w = 0, h = 0, maxv = 0, consumed = 0;
  REQUIRE(std::sscanf(img.c_str(), "P6 %d %d %d%n", &w, &h, &maxv, &consumed) == 3);
  const std::size_t start = static_cast<std::size_t>(consumed) + 1;
  REQUIRE(img.size() >= start + static_cast<std::size_t>(w) * h * 3);
  std::size_t dark = 0;
  for (std::size_t i = start; i < start + static_cast<std::size_t>(w) * h * 3; i += 3)
    if (static_cast<unsigned char>(img[i]) < 200 || static_cast<unsigned char>(img[i + 1]) < 200)
      ++dark;
  CHECK(dark > static_cast<std::size_t>(w) * h / 100);  // text and charts, not a white page
}

TEST_CASE("pdf report: missing chromium is one line naming the package", "[pdf]") {
  const std::string dir = test::tmp_dir("pdf-missing");
  test::write_text(
      dir + "/a.json",
      test::results("alpha", "2026-11-26T10:00:00Z", {test::rule("r", "R", "pass", "low")}).dump());
  auto r = test::run("env -u VIGIL_CHROMIUM PATH=" + dir + " " + test::quote(VIGIL_BIN) +
                     " report --results " + dir + "/a.json --format pdf --out " + dir + "/r.pdf");
  CHECK(r.exit_code == 1);
  CHECK(r.output ==
        "vigil: --format pdf needs Chromium: install it with `apt-get install chromium`\n");
}

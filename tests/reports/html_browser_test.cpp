// The HTML report in a real browser (Debian's headless Chromium): hostile text in
// a hostname, an HTTP Host, a rule title and a file path must show literally and
// never run; the page must render (its script writes #vigil-rendered) and a
// screenshot of it must not be blank.
#include <catch2/catch.hpp>

#include <filesystem>

#include "reports/pdf/chromium.h"
#include "tests/reports/report_fixtures.h"

using namespace vigil;

namespace {

// The DOM without the inert data block: only what the page rendered.
std::string rendered_part(const std::string& dom) {
  const auto a = dom.find("id=\"vigil-data\"");
  if (a == std::string::npos) return dom;
  const auto b = dom.find("</script>", a);
  return dom.substr(0, a) + dom.substr(b == std::string::npos ? dom.size() : b);
}

std::string dump_dom(const std::string& html, const std::string& fragment) {
  auto r = reports::run_chromium(
      {"--virtual-time-budget=5000", "--dump-dom", reports::file_url(html) + fragment});
  REQUIRE(r.ok());
  return r->stdout_text;
}

void check_no_payload_ran(const std::string& dom) {
  INFO(dom.substr(0, 3000));
  // The page's own script finished rendering...
  CHECK(dom.find("id=\"vigil-rendered\"") != std::string::npos);
  const std::string page = rendered_part(dom);
  // ...and nothing from the data became markup or code.
  // (The payload text itself mentions data-pwned: look for its effects.)
  CHECK(page.find("data-pwned=\"1\"") == std::string::npos);
  CHECK(page.find("<title>PWNED") == std::string::npos);
  CHECK(page.find("<img") == std::string::npos);
  CHECK(page.find("<script>document") == std::string::npos);
  CHECK(page.find("href=\"javascript:") == std::string::npos);
}

}  // namespace

TEST_CASE("html report: hostile hostnames, titles, paths and HTTP hosts stay text",
          "[html][browser]") {
  if (reports::find_chromium().empty()) FAIL("chromium missing: apt-get install chromium");
  const std::string dir = test::tmp_dir("browser");
  const std::string results = test::write_hostile_inputs(dir);
  const std::string html = dir + "/report.html";
  auto r = test::vigil("report --results " + test::quote(results) + " --findings " +
                       test::quote(dir + "/hostile.jsonl") + " --format html --out " +
                       test::quote(html) + " --title " + test::quote("T " + test::kScriptPayload));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);

  const std::string file = test::read_text(html);
  // Static checks on the file: strict CSP, data block escaped.
  CHECK(file.find("Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-") !=
        std::string::npos);
  const auto data_at = file.find("id=\"vigil-data\">");
  REQUIRE(data_at != std::string::npos);
  const auto data_end = file.find("</script>", data_at);
  const std::string data = file.substr(data_at, data_end - data_at);
  CHECK(data.find("\\u003cscript\\u003e") != std::string::npos);
  CHECK(data.find("<", 1) == std::string::npos);
  CHECK(file.find("<title>T &lt;script&gt;") != std::string::npos);

  SECTION("screen view: summary, hosts, network findings") {
    const std::string dom = dump_dom(html, "");
    check_no_payload_ran(dom);
    const std::string page = rendered_part(dom);
    // Hostname, rule title (worst rules), HTTP host (finding title) shown literally.
    CHECK(page.find("host&lt;script&gt;document.body.setAttribute('data-pwned','1');") !=
          std::string::npos);
    CHECK(page.find("Title \"&gt;&lt;img src=x onerror=\"document.body") != std::string::npos);
    CHECK(page.find("Cleartext HTTP to &lt;script&gt;") != std::string::npos);
    CHECK(page.find("evil.example\"&gt;&lt;img src=x") != std::string::npos);
  }
  SECTION("print view: rule details with evidence file paths and references") {
    const std::string dom = dump_dom(html, "#print");
    check_no_payload_ran(dom);
    const std::string page = rendered_part(dom);
    CHECK(page.find("data-mode=\"print\"") != std::string::npos);
    CHECK(
        page.find("/etc/\"&gt;&lt;img src=x onerror=\"document.body.setAttribute('data-pwned','1')"
                  "\"&gt;/sshd_config:12") != std::string::npos);
    CHECK(page.find("/etc/&lt;script&gt;") != std::string::npos);
    // The javascript: reference is text, the https one a link.
    CHECK(page.find("click me (javascript:document.body") != std::string::npos);
    CHECK(page.find("href=\"https://www.cisecurity.org/controls/v8\"") != std::string::npos);
  }
}

TEST_CASE("html report: screenshot is not blank", "[html][browser][screenshot]") {
  if (reports::find_chromium().empty()) FAIL("chromium missing: apt-get install chromium");
  const std::string dir = test::tmp_dir("screenshot");
  auto rules = nlohmann::json::array();
  for (int i = 0; i < 40; ++i)
    rules.push_back(test::rule("xccdf_test_rule_" + std::to_string(i),
                               "Rule number " + std::to_string(i), i % 3 ? "pass" : "fail",
                               i % 2 ? "medium" : "high"));
  test::write_text(dir + "/a1.json",
                   test::results("alpha", "2026-11-20T10:00:00Z", rules, 40).dump());
  test::write_text(dir + "/a2.json",
                   test::results("alpha", "2026-11-26T10:00:00Z", rules, 66.7).dump());
  test::write_text(dir + "/b.json",
                   test::results("beta", "2026-11-26T10:00:00Z", rules, 90).dump());
  const std::string html = dir + "/report.html";
  auto r = test::vigil("report --results " + dir + "/a1.json " + dir + "/a2.json " + dir +
                       "/b.json --format html --out " + html);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  // Two dates for alpha: the trend is in the data.
  CHECK(test::read_text(html).find("\"trend\":[[\"2026-11-20T10:00:00Z\",40.0,100.0]") !=
        std::string::npos);
  const std::string png = dir + "/report.png";
  auto shot = reports::run_chromium(
      {"--window-size=1280,1600", "--screenshot=" + png, reports::file_url(html)});
  REQUIRE(shot.ok());
  REQUIRE(std::filesystem::exists(png));
  auto stats =
      test::run("/usr/bin/python3 " + test::quote(VIGIL_SOURCE_DIR "/tests/reports/png_stats.py") +
                " " + test::quote(png));
  INFO(stats.output);
  REQUIRE(stats.exit_code == 0);
  int w = 0, h = 0, colours = 0;
  double nonbg = 0;
  REQUIRE(std::sscanf(stats.output.c_str(), "%d %d %lf %d", &w, &h, &nonbg, &colours) == 4);
  CHECK(w == 1280);
  CHECK(nonbg > 0.05);  // header bar, cards, charts: far from a blank page
  CHECK(colours > 20);  // text antialiasing, gauge colours
}

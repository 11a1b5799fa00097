// PDF report: the HTML report in its print layout (#print), printed by headless
// Chromium. Chromium reads the page from a private temporary directory.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "reports/formats.h"
#include "reports/html/html_report.h"
#include "reports/pdf/chromium.h"

namespace vigil::reports {

namespace fs = std::filesystem;

Status write_pdf(const Report& report, const std::string& out_path) {
  if (find_chromium().empty())
    return Error{"", "--format pdf needs Chromium: install it with `apt-get install chromium`"};
  char tmpl[] = "/tmp/vigil-pdf-XXXXXX";
  if (!::mkdtemp(tmpl)) return Error{"", "cannot create a temporary directory"};
  const std::string dir = tmpl;
  std::error_code ec;
  auto cleanup = [&] { fs::remove_all(dir, ec); };
  const std::string html = dir + "/report.html", pdf = dir + "/report.pdf";
  if (auto st = write_file(html, render_html(report)); !st) return cleanup(), st;
  auto run = run_chromium({"--no-pdf-header-footer", "--print-to-pdf=" + pdf,
                           "--virtual-time-budget=10000", file_url(html) + "#print"});
  if (!run) return cleanup(), run.error();
  std::ifstream in(pdf, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.rfind("%PDF", 0) != 0) {
    cleanup();
    return Error{out_path,
                 "chromium produced no PDF (exit code " + std::to_string(run->exit_code) + ")"};
  }
  auto st = write_file(out_path, bytes);
  cleanup();
  return st;
}

}  // namespace vigil::reports

// The one list of report formats (`vigil report --format NAME`). Adding a format =
// a folder reports/<name>/ defining `Status write_<name>(const Report&, const std::string&)`
// + one line here. (No #pragma once: X-macro list included with VIGIL_REPORT_FORMAT defined.)
VIGIL_REPORT_FORMAT(html, "one self-contained HTML file (inline CSS, SVG, script)")
VIGIL_REPORT_FORMAT(pdf, "the HTML printed by headless Chromium")
VIGIL_REPORT_FORMAT(csv, "RFC 4180: one row per host x rule, one per finding")
VIGIL_REPORT_FORMAT(json, "the full report model")
VIGIL_REPORT_FORMAT(md, "a short Markdown summary for tickets and e-mail")

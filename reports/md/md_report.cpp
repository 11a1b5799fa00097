// Markdown summary for tickets and e-mail: scores per host, the most failed
// rules, findings by severity. Values are escaped so that a hostname cannot
// break the table or inject HTML into a renderer that allows it.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "reports/escape.h"
#include "reports/formats.h"

namespace vigil::reports {

namespace {

std::string md(std::string_view s) {
  return escape_text(s, EscapeMode::markdown);
}

std::string pct(const Score& s) {
  if (s.maximum <= 0) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * s.score / s.maximum);
  return buf;
}

}  // namespace

std::string render_md(const Report& report) {
  std::string out = "# " + md(report.title) + "\n\n";
  out += "Generated " + report.generated + " by vigil " VIGIL_VERSION;
  if (!report.tenant.empty()) out += " for tenant " + md(report.tenant);
  out +=
      ".\n\n## Hosts\n\n| Host | Score | Pass | Fail | Other | Assessed "
      "|\n|---|---:|---:|---:|---:|---|\n";
  // Latest run per host: runs are sorted by (name, start).
  std::vector<const HostRun*> latest;
  for (std::size_t i = 0; i < report.runs.size(); ++i)
    if (i + 1 == report.runs.size() || report.runs[i + 1].name != report.runs[i].name)
      latest.push_back(&report.runs[i]);
  std::map<std::uint32_t, int> fails;
  for (const HostRun* run : latest) {
    int other = 0;
    for (int i = 2; i < kOutcomeCount; ++i)
      if (i != static_cast<int>(Outcome::notselected)) other += run->counts[i];
    std::string score;
    for (const auto& s : run->scores)
      score += (score.empty() ? "" : ", ") + pct(s) +
               (s.system == "urn:xccdf:scoring:default" ? "" : " (" + md(s.system) + ")");
    out += "| " + md(run->name) + " | " + (score.empty() ? "n/a" : score) + " | " +
           std::to_string(run->counts[0]) + " | " + std::to_string(run->counts[1]) + " | " +
           std::to_string(other) + " | " + run->start_time + " |\n";
    for (const auto& row : run->rows)
      if (row.result == Outcome::fail) fails[row.rule]++;
  }
  std::vector<std::pair<std::uint32_t, int>> worst(fails.begin(), fails.end());
  std::stable_sort(worst.begin(), worst.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (!worst.empty()) {
    out +=
        "\n## Rules failing on the most hosts\n\n| Rule | Severity | Failing hosts "
        "|\n|---|---|---:|\n";
    for (std::size_t i = 0; i < worst.size() && i < 10; ++i) {
      const RuleInfo& r = report.rules[worst[i].first];
      out += "| " + md(r.title.empty() ? r.id : r.title) + " | " + md(r.severity) + " | " +
             std::to_string(worst[i].second) + " of " + std::to_string(latest.size()) + " |\n";
    }
  }
  if (!report.findings.empty()) {
    int by[5] = {};
    for (const auto& f : report.findings) by[static_cast<int>(f.severity)]++;
    out += "\n## Network findings\n\n";
    for (int s = 4; s >= 0; --s)
      out += "- " + std::string(core::to_string(static_cast<core::Severity>(s))) + ": " +
             std::to_string(by[s]) + "\n";
  }
  out += "\nFull details: the HTML report (`vigil report --format html`).\n";
  return out;
}

Status write_md(const Report& report, const std::string& out_path) {
  return write_file(out_path, render_md(report));
}

}  // namespace vigil::reports

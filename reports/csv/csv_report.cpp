// CSV report (RFC 4180, CRLF): one row per host x rule and one per finding, in
// one table whose first column says which. Every cell goes through csv_cell, so
// a value starting with = + - @ TAB CR cannot become a spreadsheet formula.
#include <cmath>
#include <cstdio>

#include "core/util/csv.h"
#include "reports/formats.h"
#include "reports/model/evidence_text.h"

namespace vigil::reports {

namespace {

std::string num(double v) {
  if (std::isnan(v)) return {};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string refs_text(const RuleInfo& r) {
  std::string out;
  for (const auto& ref : r.references)
    out += (out.empty() ? "" : "; ") + (ref.framework.empty() ? ref.href : ref.framework) + " " +
           ref.text;
  return out;
}

}  // namespace

static const std::vector<std::string> kCsvHeader = {
    "record", "host",       "ip",       "benchmark", "profile",    "time",
    "id",     "title",      "result",   "severity",  "weight",     "score_contribution",
    "group",  "references", "evidence", "count",     "first_seen", "last_seen"};

std::string render_csv(const Report& report) {
  std::string out = csv_row(kCsvHeader);
  for (const auto& run : report.runs) {
    // Contribution in percentage points of the flat (weight) score of this run.
    double counted = 0;
    for (const auto& row : run.rows)
      if (!std::isnan(score_contribution(row))) counted += row.weight;
    const std::string ip = join(run.ips, " ");
    for (const auto& row : run.rows) {
      const RuleInfo& r = report.rules[row.rule];
      const double c = score_contribution(row);
      out += csv_row({"rule", run.name, ip, run.benchmark_id, run.profile_id, run.start_time, r.id,
                      r.title, std::string(to_string(row.result)), row.severity, num(row.weight),
                      counted > 0 && !std::isnan(c) ? num(100 * c / counted) : "",
                      join(r.group_path, " / "), refs_text(r),
                      row.message.empty() ? evidence_summary(row.evidence)
                                          : row.message + (row.evidence.empty() ? "" : "; ") +
                                                evidence_summary(row.evidence),
                      "", "", ""});
    }
  }
  for (const auto& f : report.findings) {
    std::string refs;
    for (const auto& ref : f.references)
      refs += (refs.empty() ? "" : "; ") + ref.framework + " " + ref.id;
    out += csv_row(
        {"finding", !f.asset.hostname.empty() ? f.asset.hostname : f.asset.host_id, f.asset.ip, "",
         "", format_rfc3339(f.last_seen), f.type, f.title, std::string(core::to_string(f.status)),
         std::string(core::to_string(f.severity)), "", "", std::string(core::to_string(f.source)),
         refs,
         clip_utf8(f.evidence.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), 2000),
         std::to_string(f.count), format_rfc3339(f.first_seen), format_rfc3339(f.last_seen)});
  }
  return out;
}

Status write_csv(const Report& report, const std::string& out_path) {
  return write_file(out_path, render_csv(report));
}

}  // namespace vigil::reports

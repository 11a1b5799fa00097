// JSON report: the whole model (docs/reports.md, "JSON report"), every host run,
// every rule with its texts and raw evidence, every finding and asset.
#include "reports/formats.h"

namespace vigil::reports {

namespace {

using nlohmann::json;

json run_json(const Report& report, const HostRun& run) {
  json rules = json::array();
  for (const auto& row : run.rows) {
    const RuleInfo& r = report.rules[row.rule];
    json refs = json::array();
    for (const auto& ref : r.references) {
      json j = {{"href", ref.href}, {"text", ref.text}};
      if (!ref.framework.empty()) j["framework"] = ref.framework;
      refs.push_back(std::move(j));
    }
    rules.push_back({{"id", r.id},
                     {"title", r.title},
                     {"result", to_string(row.result)},
                     {"message", row.message},
                     {"severity", row.severity},
                     {"weight", row.weight},
                     {"role", row.role},
                     {"group_path", r.group_path},
                     {"references", refs},
                     {"idents", r.idents},
                     {"description", r.description},
                     {"rationale", r.rationale},
                     {"fixtext", r.fixtext},
                     {"evidence", row.evidence}});
  }
  json summary = json::object();
  for (int i = 0; i < kOutcomeCount; ++i)
    summary[std::string(to_string(static_cast<Outcome>(i)))] = run.counts[i];
  json scores = json::array();
  for (const auto& s : run.scores)
    scores.push_back({{"system", s.system}, {"score", s.score}, {"maximum", s.maximum}});
  json fws = json::array();
  for (const auto& fr : run.frameworks) {
    if (!framework_in_family(fr.framework, report.framework)) continue;
    json controls = json::array();
    for (const auto& c : fr.controls)
      controls.push_back({{"id", c.id},
                          {"status", c.status},
                          {"pass", c.pass},
                          {"fail", c.fail},
                          {"other", c.other},
                          {"rules", c.rules}});
    fws.push_back({{"framework", fr.framework},
                   {"pass", fr.pass},
                   {"fail", fr.fail},
                   {"not_assessed", fr.not_assessed},
                   {"controls", controls}});
  }
  return {{"source", run.path},
          {"host",
           {{"name", run.name},
            {"all_assets", run.all_assets},
            {"hostnames", run.hostnames},
            {"host_ids", run.host_ids},
            {"ips", run.ips},
            {"macs", run.macs}}},
          {"benchmark",
           {{"id", run.benchmark_id},
            {"title", run.benchmark_title},
            {"version", run.benchmark_version},
            {"source", run.benchmark_source},
            {"sha256", run.benchmark_sha256}}},
          {"profile", {{"id", run.profile_id}, {"title", run.profile_title}}},
          {"start_time", run.start_time},
          {"end_time", run.end_time},
          {"summary", summary},
          {"scores", scores},
          {"rules", rules},
          {"frameworks", fws}};
}

}  // namespace

nlohmann::json report_json(const Report& report) {
  json runs = json::array();
  for (const auto& run : report.runs) runs.push_back(run_json(report, run));
  json findings = json::array();
  for (const auto& f : report.findings) findings.push_back(core::to_json(f));
  json assets = json::array();
  for (const auto& a : report.assets)
    assets.push_back({{"ip", a.ip},
                      {"mac", a.mac},
                      {"hostname", a.hostname},
                      {"host_id", a.host_id},
                      {"vendor", a.vendor},
                      {"os", a.os},
                      {"first_seen", a.first_seen},
                      {"last_seen", a.last_seen}});
  return {{"format", "vigil-report"},
          {"format_version", 1},
          {"generator", {{"name", "vigil"}, {"version", VIGIL_VERSION}}},
          {"title", report.title},
          {"tenant", report.tenant},
          {"framework", report.framework},
          {"generated", report.generated},
          {"runs", runs},
          {"findings", findings},
          {"assets", assets}};
}

Status write_json(const Report& report, const std::string& out_path) {
  return write_file(out_path,
                    report_json(report).dump(1, ' ', false, json::error_handler_t::replace) + "\n");
}

}  // namespace vigil::reports

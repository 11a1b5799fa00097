// Results JSON writer (see docs/results.md for every field).
#include "compliance/results/results_json.h"

#include <fstream>

#include "compliance/frameworks/rollup.h"
#include "compliance/scoring/scoring.h"
#include "core/util/time.h"

namespace vigil::compliance {

namespace {

nlohmann::json group_path(const Benchmark& b, const Rule& r) {
  nlohmann::json path = nlohmann::json::array();
  std::vector<const Group*> chain;
  for (std::string g = r.parent; !g.empty();) {
    auto it = b.groups.find(g);
    if (it == b.groups.end()) break;
    chain.push_back(&it->second);
    g = it->second.parent;
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    path.push_back({{"id", (*it)->id}, {"title", (*it)->title}});
  return path;
}

nlohmann::json rule_json(const Benchmark& b, const RuleOutcome& o) {
  const Rule& r = b.rules.at(o.rule_id);
  nlohmann::json refs = nlohmann::json::array();
  for (const auto& ref : r.references) {
    nlohmann::json j = {{"href", ref.href}, {"text", ref.text}};
    if (auto fw = framework_of(ref.href); !fw.empty()) j["framework"] = fw;
    refs.push_back(std::move(j));
  }
  nlohmann::json idents = nlohmann::json::array();
  for (const auto& i : r.idents) idents.push_back({{"system", i.system}, {"value", i.value}});
  nlohmann::json fixtexts = nlohmann::json::array();
  for (const auto& f : r.fixtexts) fixtexts.push_back(f.text);
  nlohmann::json fixes = nlohmann::json::array();
  for (const auto& f : r.fixes)
    fixes.push_back({{"id", f.id},
                     {"system", f.system},
                     {"strategy", f.strategy},
                     {"complexity", f.complexity},
                     {"disruption", f.disruption},
                     {"reboot", f.reboot},
                     {"text", f.text}});
  nlohmann::json check = nullptr;
  if (!o.check_system.empty()) {
    check = {{"system", o.check_system}, {"href", o.check_href}, {"name", o.check_name}};
    if (!o.instance.empty()) check["instance"] = o.instance;
    if (!o.export_values.empty()) check["exports"] = o.export_values;
  }
  return {{"id", r.id},
          {"title", r.title},
          {"result", to_string(o.result)},
          {"message", o.message},
          {"severity", o.severity},
          {"weight", o.weight},
          {"role", to_string(o.role)},
          {"group_path", group_path(b, r)},
          {"references", refs},
          {"idents", idents},
          {"description", r.description},
          {"rationale", r.rationale},
          {"warnings", r.warnings},
          {"fixtext", fixtexts},
          {"fixes", fixes},
          {"check", check},
          {"evidence", o.evidence}};
}

}  // namespace

nlohmann::json results_json(const Run& run) {
  const Content& c = *run.content;
  const Benchmark& b = c.benchmark();
  const TestResult& tr = *run.result;
  const HostIdentity& h = tr.host;
  nlohmann::json j;
  j["format"] = kResultsFormat;
  j["format_version"] = kResultsFormatVersion;
  j["generator"] = {{"name", "vigil"}, {"version", VIGIL_VERSION}};
  j["test_result_id"] = tr.id;
  j["host"] = {{"name", h.primary().empty() ? tr.target : h.primary()},
               {"all_assets", h.all_hosts},
               {"hostnames", h.hostnames},
               {"host_ids", h.host_ids},
               {"ips", h.ips},
               {"macs", h.macs}};
  nlohmann::json files = nlohmann::json::array();
  if (run.findings)
    for (std::size_t i = 0; i < run.findings->files.size(); ++i)
      files.push_back({{"path", run.findings->files[i]}, {"sha256", run.findings->file_sha256[i]}});
  j["target"] = {
      {"root", tr.root.empty() ? nlohmann::json(nullptr) : nlohmann::json(tr.root)},
      {"facts", tr.facts_path.empty() ? nlohmann::json(nullptr) : nlohmann::json(tr.facts_path)},
      {"findings", files}};
  j["benchmark"] = {{"id", b.id},
                    {"version", b.version},
                    {"title", b.title},
                    {"xccdf_version", b.xccdf_ns == kXccdf11Ns ? "1.1" : "1.2"},
                    {"source", c.path()},
                    {"sha256", c.sha256()},
                    {"datastream_id", c.datastream_id()},
                    {"scap_version", c.scap_version()},
                    {"xccdf_component_ref", c.xccdf_component_ref()}};
  nlohmann::json tailoring = nullptr;
  if (!run.tailoring_path.empty())
    tailoring = {
        {"path", run.tailoring_path}, {"sha256", run.tailoring_sha256}, {"id", run.tailoring_id}};
  j["profile"] = {
      {"id", run.policy->profile_id().empty() ? nlohmann::json(nullptr)
                                              : nlohmann::json(run.policy->profile_id())},
      {"title", run.policy->profile_title()},
      {"tailoring", tailoring}};
  j["start_time"] = format_rfc3339(tr.start);
  j["end_time"] = format_rfc3339(tr.end);
  nlohmann::json summary = nlohmann::json::object();
  for (int i = 0; i <= static_cast<int>(RuleResult::kFixed); ++i)
    summary[std::string(to_string(static_cast<RuleResult>(i)))] = 0;
  for (const auto& o : tr.rules)
    summary[std::string(to_string(o.result))] =
        summary[std::string(to_string(o.result))].get<int>() + 1;
  summary["total"] = tr.rules.size();
  j["summary"] = summary;
  nlohmann::json scores = nlohmann::json::array();
  for (std::size_t i = 0; i < tr.scores.size(); ++i) {
    const Score& s = tr.scores[i];
    nlohmann::json js = {{"system", s.system}, {"score", s.score}, {"maximum", s.maximum}};
    if (i < run.openscap_scores.size()) {
      js["openscap_score"] = run.openscap_scores[i].score;
      js["openscap_maximum"] = run.openscap_scores[i].maximum;
    }
    scores.push_back(std::move(js));
  }
  j["scores"] = scores;
  j["values"] = tr.set_values;
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& o : tr.rules) rules.push_back(rule_json(b, o));
  j["rules"] = std::move(rules);
  nlohmann::json fws = nlohmann::json::array();
  for (const auto& fr : rollup(b, tr.rules)) {
    nlohmann::json controls = nlohmann::json::array();
    for (const auto& cs : fr.controls)
      controls.push_back({{"id", cs.id},
                          {"status", cs.status},
                          {"pass", cs.pass},
                          {"fail", cs.fail},
                          {"other", cs.other},
                          {"rules", cs.rules}});
    fws.push_back({{"framework", fr.framework},
                   {"pass", fr.pass},
                   {"fail", fr.fail},
                   {"not_assessed", fr.not_assessed},
                   {"controls", controls}});
  }
  j["frameworks"] = std::move(fws);
  j["warnings"] = tr.warnings;
  return j;
}

Status write_results_json(const Run& run, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Error{path, "cannot write results"};
  // Replace invalid UTF-8 rather than throw: evidence can carry bytes from scanned files.
  // Serialised straight into the stream: dump() would hold the whole text (~12 MB for a CIS
  // profile with evidence) on top of the JSON tree.
  {
    const nlohmann::json j = results_json(run);
    nlohmann::detail::serializer<nlohmann::json> ser(nlohmann::detail::output_adapter<char>(out),
                                                     ' ', nlohmann::json::error_handler_t::replace);
    ser.dump(j, true, false, 1);
  }
  out << '\n';
  if (!out) return Error{path, "write failed"};
  return ok_status();
}

}  // namespace vigil::compliance

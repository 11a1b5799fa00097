// Report -> page data (see html_data.h and the renderer in page_script.cpp).
#include "reports/html/html_data.h"

#include <map>
#include <set>
#include <unordered_map>

#include "reports/model/evidence_text.h"

namespace vigil::reports {

namespace {

using nlohmann::json;

constexpr const char* kSeverities[] = {"unknown", "info", "low", "medium", "high", "critical"};

int severity_code(std::string_view s) {
  for (int i = 0; i < 6; ++i)
    if (s == kSeverities[i]) return i;
  return 0;
}

class Strings {
 public:
  int intern(const std::string& s) {
    auto [it, fresh] = index_.emplace(s, static_cast<int>(list_.size()));
    if (fresh) list_.push_back(s);
    return it->second;
  }
  json take() { return std::move(list_); }

 private:
  std::unordered_map<std::string, int> index_;
  json list_ = json::array();
};

json rule_json(const RuleInfo& r) {
  json refs = json::array();
  for (const auto& ref : r.references) refs.push_back({ref.framework, ref.text, ref.href});
  return {{"id", r.id},        {"t", r.title},       {"s", severity_code(r.severity)},
          {"g", r.group_path}, {"d", r.description}, {"r", r.rationale},
          {"f", r.fixtext},    {"refs", refs},       {"idents", r.idents}};
}

std::string asset_text(const core::Asset& a) {
  std::string out = !a.hostname.empty()  ? a.hostname
                    : !a.ip.empty()      ? a.ip
                    : !a.host_id.empty() ? a.host_id
                                         : a.mac;
  if (!a.hostname.empty() && !a.ip.empty()) out += " (" + a.ip + ")";
  return out;
}

// Finding evidence as one line: its keys, compact, clipped.
std::string finding_evidence(const json& ev) {
  return clip_utf8(ev.dump(-1, ' ', false, json::error_handler_t::replace), kMaxEvidenceLine);
}

}  // namespace

json html_data(const Report& report) {
  json d;
  d["title"] = report.title;
  d["tenant"] = report.tenant;
  d["generated"] = report.generated;
  d["generator"] = std::string("vigil ") + VIGIL_VERSION;
  d["framework"] = report.framework;
  Strings strings;

  json rules = json::array();
  for (const auto& r : report.rules) rules.push_back(rule_json(r));
  d["rules"] = std::move(rules);

  // Latest run per host name; the earlier ones only feed the trend line.
  std::map<std::string, std::vector<const HostRun*>> by_host;
  for (const auto& run : report.runs) by_host[run.name].push_back(&run);
  json hosts = json::array();
  std::vector<const HostRun*> latest;
  for (const auto& [name, runs] : by_host) {
    const HostRun& run = *runs.back();
    latest.push_back(&run);
    json h;
    h["name"] = run.name;
    h["all"] = run.all_assets;
    h["ips"] = run.ips;
    h["macs"] = run.macs;
    h["hostnames"] = run.hostnames;
    h["host_ids"] = run.host_ids;
    h["bench"] = {run.benchmark_id, run.benchmark_title, run.benchmark_version,
                  run.benchmark_source, run.benchmark_sha256};
    h["profile"] = {run.profile_id, run.profile_title};
    h["start"] = run.start_time;
    h["end"] = run.end_time;
    h["counts"] = run.counts;
    json scores = json::array();
    for (const auto& s : run.scores) scores.push_back({s.system, s.score, s.maximum});
    h["scores"] = scores;
    json rows = json::array();
    for (const auto& row : run.rows) {
      json r = {row.rule, static_cast<int>(row.result), severity_code(row.severity), row.weight};
      json ev = json::array();
      for (const auto& line : evidence_lines(row.evidence)) ev.push_back(strings.intern(line));
      if (!row.message.empty() || !ev.empty()) {
        r.push_back(row.message.empty() ? -1 : strings.intern(row.message));
        r.push_back(std::move(ev));
      }
      rows.push_back(std::move(r));
    }
    h["rows"] = std::move(rows);
    json trend = json::array();
    if (runs.size() > 1)
      for (const HostRun* r : runs)
        if (!r->scores.empty())
          trend.push_back({r->start_time, r->scores[0].score, r->scores[0].maximum});
    h["trend"] = std::move(trend);
    hosts.push_back(std::move(h));
  }
  d["hosts"] = std::move(hosts);

  // Frameworks: control -> one status letter per host (p f n, '-' = not covered).
  struct Control {
    std::string status;
    std::set<std::uint32_t> rules;
  };
  std::map<std::string, std::map<std::string, Control>> fws;
  for (std::size_t hi = 0; hi < latest.size(); ++hi) {
    const HostRun& run = *latest[hi];
    for (const auto& fr : run.frameworks) {
      if (!framework_in_family(fr.framework, report.framework)) continue;
      auto& controls = fws[fr.framework];
      for (const auto& cs : fr.controls) {
        Control& c = controls[cs.id];
        c.status.resize(latest.size(), '-');
        c.status[hi] = cs.status == "pass" ? 'p' : cs.status == "fail" ? 'f' : 'n';
        for (const auto& rid : cs.rules)
          if (auto it = report.rule_index.find(run.benchmark_id + '\n' + rid);
              it != report.rule_index.end())
            c.rules.insert(it->second);
      }
    }
  }
  json frameworks = json::array();
  for (auto& [name, controls] : fws) {
    json cl = json::array();
    for (auto& [id, c] : controls) {
      c.status.resize(latest.size(), '-');
      cl.push_back({id, c.status, c.rules});
    }
    frameworks.push_back({{"name", name}, {"controls", std::move(cl)}});
  }
  d["frameworks"] = std::move(frameworks);

  json findings = json::array();
  for (const auto& f : report.findings) {
    if (findings.size() >= kMaxHtmlFindings) break;
    findings.push_back({static_cast<int>(f.severity), f.type, f.title, asset_text(f.asset), f.count,
                        format_rfc3339(f.first_seen), format_rfc3339(f.last_seen),
                        finding_evidence(f.evidence), std::string(core::to_string(f.source)),
                        std::string(core::to_string(f.status)), f.description});
  }
  d["findings"] = std::move(findings);
  d["findings_total"] = report.findings.size();
  json assets = json::array();
  for (const auto& a : report.assets)
    assets.push_back(
        {a.ip, a.mac, a.hostname, a.host_id, a.vendor, a.os, a.first_seen, a.last_seen});
  d["assets"] = std::move(assets);
  d["strings"] = strings.take();
  return d;
}

std::string script_safe_json(const json& j) {
  const std::string raw = j.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(raw.size() + raw.size() / 16);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < raw.size() && raw[i + 1] == '\x80' &&
               (raw[i + 2] == '\xA8' || raw[i + 2] == '\xA9')) {
      out += raw[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace vigil::reports

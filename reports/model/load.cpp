// Results / findings / assets readers (see load.h). Errors are "FILE: /json/pointer: why".
#include "reports/model/load.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "core/util/jsonl.h"

namespace vigil::reports {

namespace {

using nlohmann::json;

// Walks one object and remembers the first problem with its JSON pointer.
struct Walk {
  const std::string& path;
  std::string err;

  Error error() const { return Error{path, err}; }
  bool fail(const std::string& ptr, const std::string& why) {
    if (err.empty()) err = (ptr.empty() ? "/" : ptr) + ": " + why;
    return false;
  }
  const json* field(const json& o, const std::string& ptr, const char* key, bool required) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
      if (required) fail(ptr + "/" + key, "missing");
      return nullptr;
    }
    return &*it;
  }
  bool str(const json& o, const std::string& ptr, const char* key, std::string& out,
           bool required) {
    const json* v = field(o, ptr, key, required);
    if (!v) return !required;
    if (!v->is_string()) return fail(ptr + "/" + key, "must be a string");
    out = v->get<std::string>();
    return true;
  }
  bool num(const json& o, const std::string& ptr, const char* key, double& out, bool required) {
    const json* v = field(o, ptr, key, required);
    if (!v) return !required;
    if (!v->is_number()) return fail(ptr + "/" + key, "must be a number");
    out = v->get<double>();
    return true;
  }
  bool strings(const json& o, const std::string& ptr, const char* key,
               std::vector<std::string>& out) {
    const json* v = field(o, ptr, key, false);
    if (!v) return true;
    if (!v->is_array()) return fail(ptr + "/" + key, "must be an array");
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string())
        return fail(ptr + "/" + key + "/" + std::to_string(i), "must be a string");
      out.push_back((*v)[i].get<std::string>());
    }
    return true;
  }
  const json* array(const json& o, const std::string& ptr, const char* key, bool required) {
    const json* v = field(o, ptr, key, required);
    if (v && !v->is_array()) {
      fail(ptr + "/" + key, "must be an array");
      return nullptr;
    }
    return v;
  }
  const json* object(const json& o, const std::string& ptr, const char* key, bool required) {
    const json* v = field(o, ptr, key, required);
    if (v && !v->is_object()) {
      fail(ptr + "/" + key, "must be an object");
      return nullptr;
    }
    return v;
  }
};

bool read_rule_info(Walk& w, const json& r, const std::string& p, RuleInfo& info) {
  if (!w.str(r, p, "title", info.title, false)) return false;
  if (!w.str(r, p, "description", info.description, false)) return false;
  if (!w.str(r, p, "rationale", info.rationale, false)) return false;
  if (!w.strings(r, p, "fixtext", info.fixtext)) return false;
  if (const json* g = w.array(r, p, "group_path", false)) {
    for (std::size_t i = 0; i < g->size(); ++i) {
      const std::string gp = p + "/group_path/" + std::to_string(i);
      if (!(*g)[i].is_object()) return w.fail(gp, "must be an object");
      std::string title, id;
      if (!w.str((*g)[i], gp, "title", title, false) || !w.str((*g)[i], gp, "id", id, false))
        return false;
      info.group_path.push_back(title.empty() ? id : title);
    }
  }
  if (const json* refs = w.array(r, p, "references", false)) {
    for (std::size_t i = 0; i < refs->size(); ++i) {
      const std::string rp = p + "/references/" + std::to_string(i);
      if (!(*refs)[i].is_object()) return w.fail(rp, "must be an object");
      RuleRef ref;
      if (!w.str((*refs)[i], rp, "href", ref.href, false) ||
          !w.str((*refs)[i], rp, "text", ref.text, false) ||
          !w.str((*refs)[i], rp, "framework", ref.framework, false))
        return false;
      info.references.push_back(std::move(ref));
    }
  }
  if (const json* ids = w.array(r, p, "idents", false)) {
    for (std::size_t i = 0; i < ids->size(); ++i) {
      std::string v;
      if ((*ids)[i].is_object() &&
          !w.str((*ids)[i], p + "/idents/" + std::to_string(i), "value", v, false))
        return false;
      if (!v.empty()) info.idents.push_back(v);
    }
  }
  return true;
}

bool read_rules(Walk& w, const json& rules, Report& report, HostRun& run) {
  run.rows.reserve(rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const json& r = rules[i];
    const std::string p = "/rules/" + std::to_string(i);
    if (!r.is_object()) return w.fail(p, "must be an object");
    std::string id, result;
    RuleRow row;
    if (!w.str(r, p, "id", id, true) || !w.str(r, p, "result", result, true)) return false;
    if (!parse_outcome(result, row.result))
      return w.fail(p + "/result", "unknown result '" + result + "'");
    if (!w.str(r, p, "severity", row.severity, false) ||
        !w.num(r, p, "weight", row.weight, false) || !w.str(r, p, "role", row.role, false) ||
        !w.str(r, p, "message", row.message, false))
      return false;
    if (row.severity.empty()) row.severity = "unknown";
    if (const json* ev = w.field(r, p, "evidence", false)) {
      if (!ev->is_array()) return w.fail(p + "/evidence", "must be an array");
      row.evidence = *ev;
    }
    std::string key = run.benchmark_id + '\n' + id;
    auto it = report.rule_index.find(key);
    if (it == report.rule_index.end()) {
      RuleInfo info;
      info.benchmark_id = run.benchmark_id;
      info.id = id;
      info.severity = row.severity;
      if (!read_rule_info(w, r, p, info)) return false;
      it = report.rule_index.emplace(std::move(key), report.rules.size()).first;
      report.rules.push_back(std::move(info));
    }
    row.rule = it->second;
    run.counts[static_cast<int>(row.result)]++;
    run.rows.push_back(std::move(row));
  }
  return true;
}

bool read_frameworks(Walk& w, const json& fws, HostRun& run) {
  for (std::size_t i = 0; i < fws.size(); ++i) {
    const std::string p = "/frameworks/" + std::to_string(i);
    const json& f = fws[i];
    if (!f.is_object()) return w.fail(p, "must be an object");
    FrameworkRollup fr;
    if (!w.str(f, p, "framework", fr.framework, true)) return false;
    const json* controls = w.array(f, p, "controls", true);
    if (!controls) return false;
    for (std::size_t c = 0; c < controls->size(); ++c) {
      const std::string cp = p + "/controls/" + std::to_string(c);
      const json& cj = (*controls)[c];
      if (!cj.is_object()) return w.fail(cp, "must be an object");
      ControlStatus cs;
      double pass = 0, fail = 0, other = 0;
      if (!w.str(cj, cp, "id", cs.id, true) || !w.str(cj, cp, "status", cs.status, true) ||
          !w.num(cj, cp, "pass", pass, false) || !w.num(cj, cp, "fail", fail, false) ||
          !w.num(cj, cp, "other", other, false) || !w.strings(cj, cp, "rules", cs.rules))
        return false;
      if (cs.status != "pass" && cs.status != "fail" && cs.status != "not_assessed")
        return w.fail(cp + "/status", "unknown status '" + cs.status + "'");
      cs.pass = static_cast<int>(pass);
      cs.fail = static_cast<int>(fail);
      cs.other = static_cast<int>(other);
      (cs.status == "pass" ? fr.pass : cs.status == "fail" ? fr.fail : fr.not_assessed)++;
      fr.controls.push_back(std::move(cs));
    }
    run.frameworks.push_back(std::move(fr));
  }
  return true;
}

}  // namespace

Status add_results_json(Report& report, const json& j, const std::string& path) {
  Walk w{path, {}};
  if (!j.is_object()) return Error{path, "/: results must be a JSON object"};
  std::string format;
  double version = 0;
  if (!w.str(j, "", "format", format, true) || !w.num(j, "", "format_version", version, true))
    return w.error();
  if (format != "vigil-xccdf-results")
    return Error{path, "/format: not a Vigil results file ('" + format + "')"};
  HostRun run;
  run.path = path;
  const json* host = w.object(j, "", "host", true);
  const json* bench = host ? w.object(j, "", "benchmark", true) : nullptr;
  if (!host || !bench) return w.error();
  if (!w.str(*host, "/host", "name", run.name, true) ||
      !w.strings(*host, "/host", "hostnames", run.hostnames) ||
      !w.strings(*host, "/host", "host_ids", run.host_ids) ||
      !w.strings(*host, "/host", "ips", run.ips) || !w.strings(*host, "/host", "macs", run.macs))
    return w.error();
  if (auto it = host->find("all_assets"); it != host->end() && it->is_boolean())
    run.all_assets = it->get<bool>();
  if (!w.str(*bench, "/benchmark", "id", run.benchmark_id, true) ||
      !w.str(*bench, "/benchmark", "title", run.benchmark_title, false) ||
      !w.str(*bench, "/benchmark", "version", run.benchmark_version, false) ||
      !w.str(*bench, "/benchmark", "source", run.benchmark_source, false) ||
      !w.str(*bench, "/benchmark", "sha256", run.benchmark_sha256, false))
    return w.error();
  if (const json* prof = w.object(j, "", "profile", false)) {
    if (!w.str(*prof, "/profile", "id", run.profile_id, false) ||
        !w.str(*prof, "/profile", "title", run.profile_title, false))
      return w.error();
  } else if (!w.err.empty()) {
    return w.error();
  }
  if (!w.str(j, "", "start_time", run.start_time, true) ||
      !w.str(j, "", "end_time", run.end_time, true))
    return w.error();
  auto t = parse_rfc3339(run.start_time);
  if (!t) return Error{path, "/start_time: not an RFC 3339 timestamp"};
  run.start = *t;
  const json* scores = w.array(j, "", "scores", true);
  if (!scores) return w.error();
  for (std::size_t i = 0; i < scores->size(); ++i) {
    const std::string p = "/scores/" + std::to_string(i);
    if (!(*scores)[i].is_object()) return Error{path, p + ": must be an object"};
    Score s;
    if (!w.str((*scores)[i], p, "system", s.system, true) ||
        !w.num((*scores)[i], p, "score", s.score, true) ||
        !w.num((*scores)[i], p, "maximum", s.maximum, false))
      return w.error();
    run.scores.push_back(std::move(s));
  }
  const json* rules = w.array(j, "", "rules", true);
  if (!rules || !read_rules(w, *rules, report, run)) return w.error();
  if (const json* fws = w.array(j, "", "frameworks", false)) {
    if (!read_frameworks(w, *fws, run)) return w.error();
  } else if (!w.err.empty()) {
    return w.error();
  }
  report.runs.push_back(std::move(run));
  return ok_status();
}

namespace {

Result<json> parse_results_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error{path, "cannot open: " + ec.message()};
  if (size > kMaxResultsBytes) return Error{path, "larger than 512 MiB, refused"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, "cannot open"};
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (!in) return Error{path, "read failed"};
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    // Re-parse with exceptions only to learn where the syntax error is.
    try {
      const json strict = json::parse(text);
      (void)strict;
    } catch (const json::parse_error& e) {
      return Error{path + ":offset " + std::to_string(e.byte), "not valid JSON"};
    }
    return Error{path, "not valid JSON"};
  }
  return j;
}

}  // namespace

Status add_results_file(Report& report, const std::string& path) {
  auto j = parse_results_file(path);
  if (!j) return j.error();
  return add_results_json(report, *j, path);
}

Status add_results_files(Report& report, const std::vector<std::string>& paths) {
  const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
  const std::size_t batch = threads * 2;  // bounds memory: at most `batch` parsed documents
  std::vector<std::optional<Result<json>>> parsed(batch);
  for (std::size_t base = 0; base < paths.size(); base += batch) {
    const std::size_t n = std::min(batch, paths.size() - base);
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t i; (i = next.fetch_add(1)) < n;)
        parsed[i].emplace(parse_results_file(paths[base + i]));
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < std::min(threads, n); ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    for (std::size_t i = 0; i < n; ++i) {
      if (!parsed[i]->ok()) return parsed[i]->error();
      if (auto st = add_results_json(report, parsed[i]->value(), paths[base + i]); !st) return st;
      parsed[i].reset();
    }
  }
  return ok_status();
}

Status add_findings_file(Report& report, const std::string& path) {
  auto reader = JsonLinesReader::open(path);
  if (!reader) return reader.error();
  const Micros now = now_micros();
  json j;
  Error err;
  while (reader->next(j, err)) {
    if (!err.what.empty()) return err;
    auto f = core::finding_from_json(j);
    // Files from other tools may omit id/times/status/tenant: accept them as `findings
    // import` does (tenant: --tenant, else "default").
    if (!f)
      f = core::finding_from_import(j, report.tenant.empty() ? "default" : report.tenant, now);
    if (!f) return Error{path + ":" + std::to_string(reader->line()), f.error().what};
    if (!report.tenant.empty() && f->tenant != report.tenant) continue;
    report.findings.push_back(std::move(*f));
  }
  return ok_status();
}

Status add_assets_file(Report& report, const std::string& path) {
  auto reader = JsonLinesReader::open(path);
  if (!reader) return reader.error();
  json j;
  Error err;
  while (reader->next(j, err)) {
    if (!err.what.empty()) return err;
    const std::string where = path + ":" + std::to_string(reader->line());
    if (!j.is_object()) return Error{where, "/: an asset must be a JSON object"};
    AssetRow a;
    // Values may be strings or arrays of strings (several addresses): keep text.
    auto text = [&](const char* key, std::string& out) -> bool {
      auto it = j.find(key);
      if (it == j.end() || it->is_null()) return true;
      if (it->is_string()) {
        out = it->get<std::string>();
        return true;
      }
      if (it->is_array()) {
        for (const auto& v : *it)
          if (v.is_string()) out += (out.empty() ? "" : ", ") + v.get<std::string>();
        return true;
      }
      return false;
    };
    for (auto [key, out] : {std::pair{"ip", &a.ip},
                            {"mac", &a.mac},
                            {"hostname", &a.hostname},
                            {"host_id", &a.host_id},
                            {"vendor", &a.vendor},
                            {"os", &a.os},
                            {"first_seen", &a.first_seen},
                            {"last_seen", &a.last_seen}})
      if (!text(key, *out)) return Error{where, std::string("/") + key + ": must be a string"};
    if (a.ip.empty() && a.mac.empty() && a.hostname.empty())
      return Error{where, "/: an asset needs at least one of ip, mac, hostname"};
    report.assets.push_back(std::move(a));
  }
  return ok_status();
}

void finish(Report& report) {
  std::stable_sort(report.runs.begin(), report.runs.end(), [](const HostRun& a, const HostRun& b) {
    return a.name != b.name ? a.name < b.name : a.start < b.start;
  });
  if (report.generated.empty()) report.generated = format_rfc3339(now_micros() / 1000000 * 1000000);
}

}  // namespace vigil::reports

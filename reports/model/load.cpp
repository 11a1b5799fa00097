// Results / findings / assets readers (see load.h). Errors are "FILE: /json/pointer: why".
#include "reports/model/load.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

#include "core/util/jsonl.h"
#include "reports/model/results_sax.h"

namespace vigil::reports {

namespace {

using nlohmann::json;

// Walks one object and remembers the first problem with its JSON pointer.
struct Walk {
  const std::string& path;
  std::string err;
  bool dry = false;  // check types only, copy nothing (texts of a rule already kept)

  Error error() const { return Error{path, err}; }
  bool fail(const std::string& ptr, const std::string& why) {
    if (err.empty()) err = (ptr.empty() ? "/" : ptr) + ": " + why;
    return false;
  }
  // `Obj` is a json object or RuleFields (a rule read by ResultsReader).
  template <class Obj>
  const json* field(const Obj& o, const std::string& ptr, const char* key, bool required) {
    const json* v = member(o, key);
    if (!v || v->is_null()) {
      if (required) fail(ptr + "/" + key, "missing");
      return nullptr;
    }
    return v;
  }
  static const json* member(const json& o, const char* key) {
    auto it = o.find(key);
    return it == o.end() ? nullptr : &*it;
  }
  static const json* member(const RuleFields& o, const char* key) { return o.find(key); }
  template <class Obj>
  bool str(const Obj& o, const std::string& ptr, const char* key, std::string& out, bool required) {
    const json* v = field(o, ptr, key, required);
    if (!v) return !required;
    if (!v->is_string()) return fail(ptr + "/" + key, "must be a string");
    if (!dry) out = v->get<std::string>();
    return true;
  }
  template <class Obj>
  bool num(const Obj& o, const std::string& ptr, const char* key, double& out, bool required) {
    const json* v = field(o, ptr, key, required);
    if (!v) return !required;
    if (!v->is_number()) return fail(ptr + "/" + key, "must be a number");
    out = v->get<double>();
    return true;
  }
  template <class Obj>
  bool strings(const Obj& o, const std::string& ptr, const char* key,
               std::vector<std::string>& out) {
    const json* v = field(o, ptr, key, false);
    if (!v) return true;
    if (!v->is_array()) return fail(ptr + "/" + key, "must be an array");
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string())
        return fail(ptr + "/" + key + "/" + std::to_string(i), "must be a string");
      if (!dry) out.push_back((*v)[i].get<std::string>());
    }
    return true;
  }
  template <class Obj>
  const json* array(const Obj& o, const std::string& ptr, const char* key, bool required) {
    const json* v = field(o, ptr, key, required);
    if (v && !v->is_array()) {
      fail(ptr + "/" + key, "must be an array");
      return nullptr;
    }
    return v;
  }
  template <class Obj>
  const json* object(const Obj& o, const std::string& ptr, const char* key, bool required) {
    const json* v = field(o, ptr, key, required);
    if (v && !v->is_object()) {
      fail(ptr + "/" + key, "must be an object");
      return nullptr;
    }
    return v;
  }
};

bool read_rule_info(Walk& w, const RuleFields& r, const std::string& p, RuleInfo& info) {
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
      if (!w.dry) info.group_path.push_back(title.empty() ? id : title);
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
      if (!w.dry) info.references.push_back(std::move(ref));
    }
  }
  if (const json* ids = w.array(r, p, "idents", false)) {
    for (std::size_t i = 0; i < ids->size(); ++i) {
      std::string v;
      if ((*ids)[i].is_object() &&
          !w.str((*ids)[i], p + "/idents/" + std::to_string(i), "value", v, false))
        return false;
      if (!v.empty() && !w.dry) info.idents.push_back(v);
    }
  }
  return true;
}

// One results file read but not yet added to a report: the run, and for each
// row its rule's id and texts (only the first occurrence of a rule is kept).
struct ParsedRun {
  HostRun run;
  std::vector<RuleInfo> infos;  // parallel to run.rows; texts only where first seen
  std::string bench_key;        // benchmark id + '\n' once seen (before "rules" in our files)
};

// Rules (benchmark id + '\n' + rule id) whose texts one worker thread already
// kept. A worker takes files in increasing order, so the first file (in order)
// that has a rule was parsed by a worker that had not seen it and kept its
// texts; later copies are only type-checked. 1,000 hosts share 300 rules.
using KnownRules = std::unordered_set<std::string>;

// One element of /rules; `r` is consumed (its evidence is moved into the row).
bool read_rule(Walk& w, RuleFields& r, const std::string& p, ParsedRun& out,
               KnownRules* known = nullptr) {
  if (!r.is_object) return w.fail(p, "must be an object");
  std::string result;
  RuleRow row;
  RuleInfo info;
  if (!w.str(r, p, "id", info.id, true) || !w.str(r, p, "result", result, true)) return false;
  if (!parse_outcome(result, row.result))
    return w.fail(p + "/result", "unknown result '" + result + "'");
  if (!w.str(r, p, "severity", row.severity, false) || !w.num(r, p, "weight", row.weight, false) ||
      !w.str(r, p, "role", row.role, false) || !w.str(r, p, "message", row.message, false))
    return false;
  if (row.severity.empty()) row.severity = "unknown";
  if (json* ev = r.find("evidence"); !ev->is_null()) {
    if (!ev->is_array()) return w.fail(p + "/evidence", "must be an array");
    row.evidence = std::move(*ev);
  }
  info.severity = row.severity;
  const bool keep =
      !known || out.bench_key.empty() || known->insert(out.bench_key + info.id).second;
  w.dry = !keep;
  const bool ok = read_rule_info(w, r, p, info);
  w.dry = false;
  if (!ok) return false;
  out.run.counts[static_cast<int>(row.result)]++;
  out.run.rows.push_back(std::move(row));
  out.infos.push_back(std::move(info));
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

namespace {

// Everything but /rules and /frameworks, in the order errors are reported.
Status read_head(Walk& w, const json& j, HostRun& run) {
  const std::string& path = w.path;
  if (!j.is_object()) return Error{path, "/: results must be a JSON object"};
  std::string format;
  double version = 0;
  if (!w.str(j, "", "format", format, true) || !w.num(j, "", "format_version", version, true))
    return w.error();
  if (format != "vigil-xccdf-results")
    return Error{path, "/format: not a Vigil results file ('" + format + "')"};
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
  return ok_status();
}

Status read_tail(Walk& w, const json& j, HostRun& run) {
  if (const json* fws = w.array(j, "", "frameworks", false)) {
    if (!read_frameworks(w, *fws, run)) return w.error();
  } else if (!w.err.empty()) {
    return w.error();
  }
  return ok_status();
}

// Adds a parsed run, resolving its rows against the report's rule catalogue.
void add_parsed(Report& report, ParsedRun&& parsed) {
  HostRun& run = parsed.run;
  std::string key = run.benchmark_id + '\n';
  const std::size_t prefix = key.size();
  for (std::size_t i = 0; i < run.rows.size(); ++i) {
    RuleInfo& info = parsed.infos[i];
    key.resize(prefix);
    key += info.id;
    auto it = report.rule_index.find(key);
    if (it == report.rule_index.end()) {
      // Without texts only when the benchmark id changed after the rules (not our
      // writer's order): the rule is listed by id.
      info.benchmark_id = run.benchmark_id;
      it = report.rule_index.emplace(key, report.rules.size()).first;
      report.rules.push_back(std::move(info));
    }
    run.rows[i].rule = it->second;
  }
  report.runs.push_back(std::move(run));
}

Result<std::string> read_results_text(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error{path, "cannot open: " + ec.message()};
  if (size > kMaxResultsBytes) return Error{path, "larger than 512 MiB, refused"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, "cannot open"};
  // Followed by the zero bytes simdjson may read past the end.
  std::string text(size + ResultsReader::padding(), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (!in) return Error{path, "read failed"};
  return text;
}

// "benchmark id\n" when /benchmark/id has been read, else "".
std::string benchmark_key(const json& root) {
  if (!root.is_object()) return {};
  auto b = root.find("benchmark");
  if (b == root.end() || !b->is_object()) return {};
  auto id = b->find("id");
  return id != b->end() && id->is_string() ? id->get<std::string>() + '\n' : std::string();
}

// Streams one file (results_sax.h): rule errors wait until the header has been
// checked, so errors come in the same order as from add_results_json.
Result<ParsedRun> parse_results_file(const std::string& path, KnownRules* known) {
  auto text = read_results_text(path);
  if (!text) return text.error();
  // One per thread: the simdjson parser's buffers are reused from file to file.
  thread_local ResultsReader reader;
  ParsedRun parsed;
  Walk rules_walk{path, {}};
  auto on_rule = [&](RuleFields& rule, std::size_t i) {
    if (!rules_walk.err.empty()) return;
    if (parsed.bench_key.empty()) parsed.bench_key = benchmark_key(reader.root());
    read_rule(rules_walk, rule, "/rules/" + std::to_string(i), parsed, known);
  };
  if (!reader.parse(text->data(), text->size() - ResultsReader::padding(), on_rule)) {
    if (reader.error_offset())
      return Error{path + ":offset " + std::to_string(reader.error_offset()), reader.error()};
    return Error{path, reader.error().empty() ? "not valid JSON" : reader.error()};
  }
  text->clear();
  Walk w{path, {}};
  const json& j = reader.root();
  if (auto st = read_head(w, j, parsed.run); !st) return st.error();
  if (!w.array(j, "", "rules", true)) return w.error();
  if (!rules_walk.err.empty()) return rules_walk.error();
  if (auto st = read_tail(w, j, parsed.run); !st) return st.error();
  return parsed;
}

}  // namespace

Status add_results_json(Report& report, const json& j, const std::string& path) {
  Walk w{path, {}};
  ParsedRun parsed;
  if (auto st = read_head(w, j, parsed.run); !st) return st;
  const json* rules = w.array(j, "", "rules", true);
  if (!rules) return w.error();
  parsed.run.rows.reserve(rules->size());
  for (std::size_t i = 0; i < rules->size(); ++i) {
    RuleFields rule = RuleFields::from_json(json((*rules)[i]));
    if (!read_rule(w, rule, "/rules/" + std::to_string(i), parsed)) return w.error();
  }
  if (auto st = read_tail(w, j, parsed.run); !st) return st;
  add_parsed(report, std::move(parsed));
  return ok_status();
}

Status add_results_file(Report& report, const std::string& path) {
  auto parsed = parse_results_file(path, nullptr);
  if (!parsed) return parsed.error();
  add_parsed(report, std::move(*parsed));
  return ok_status();
}

// Workers parse files ahead of the merge, at most kWindow files ahead (bounds
// memory); the calling thread adds them in order, so the report does not
// depend on thread timing.
Status add_results_files(Report& report, const std::vector<std::string>& paths) {
  constexpr std::size_t kWindow = 16;
  const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
  std::vector<std::optional<Result<ParsedRun>>> slots(paths.size());
  std::mutex mu;
  std::condition_variable cv;
  std::size_t next = 0, merged = 0;
  bool stop = false;
  auto work = [&] {
    KnownRules known;
    std::unique_lock lock(mu);
    while (true) {
      cv.wait(lock, [&] { return stop || next >= paths.size() || next < merged + kWindow; });
      if (stop || next >= paths.size()) return;
      const std::size_t i = next++;
      lock.unlock();
      auto parsed = parse_results_file(paths[i], &known);
      lock.lock();
      slots[i].emplace(std::move(parsed));
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < std::min(threads, paths.size()); ++t) pool.emplace_back(work);
  Status status = ok_status();
  for (std::size_t i = 0; i < paths.size(); ++i) {
    std::optional<Result<ParsedRun>> slot;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return slots[i].has_value(); });
      slot.swap(slots[i]);
    }
    if (!slot->ok()) {
      status = slot->error();
      break;
    }
    add_parsed(report, std::move(slot->value()));
    std::lock_guard lock(mu);
    merged = i + 1;
    cv.notify_all();  // the window moved
  }
  {
    std::lock_guard lock(mu);
    stop = true;
  }
  cv.notify_all();
  for (auto& t : pool) t.join();
  return status;
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

// The eval pipeline (see session.h).
#include "compliance/results/session.h"

#include <unistd.h>

#include <fstream>

#include "compliance/results/results_json.h"
#include "compliance/results/xccdf_xml.h"
#include "compliance/scoring/scoring.h"
#include "core/util/hash.h"

namespace vigil::compliance {

namespace {

std::string file_sha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  Sha256 h;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0)
    h.update(buf, static_cast<std::size_t>(in.gcount()));
  return h.hex();
}

std::string local_hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return {};
  return buf;
}

}  // namespace

Run EvalSession::run() const {
  Run r;
  r.content = content.get();
  r.policy = &*policy;
  r.result = &result;
  r.findings = &findings;
  if (tailoring) {
    r.tailoring_path = tailoring->path;
    r.tailoring_sha256 = tailoring_sha256;
    r.tailoring_id = tailoring->id;
  }
  r.openscap_scores = openscap_scores;
  return r;
}

bool EvalSession::any_failed() const {
  for (const auto& o : result.rules)
    if (o.result == RuleResult::kFail) return true;
  return false;
}

Result<std::unique_ptr<EvalSession>> run_eval(const EvalOptions& o) {
  auto s = std::make_unique<EvalSession>();
  if (!o.root.empty() && !o.facts.empty())
    return Error{"", "--root and --facts are exclusive: assess either a tree or collected facts"};
  LoadOptions lo{o.datastream_id, o.xccdf_id, o.cpe_dictionary};
  auto c = Content::load(o.benchmark, lo);
  if (!c) return c.error();
  s->content = *c;
  if (!o.tailoring.empty()) {
    auto t = load_tailoring(o.tailoring);
    if (!t) return t.error();
    s->tailoring = std::move(*t);
    s->tailoring_sha256 = file_sha256(o.tailoring);
  }
  auto p =
      Policy::make(s->content->benchmark(), o.profile, s->tailoring ? &*s->tailoring : nullptr);
  if (!p) return p.error();
  s->policy = std::move(*p);
  auto f = load_findings(o.findings);
  if (!f) return f.error();
  s->findings = std::move(*f);
  // Who is assessed: --host, else the scanned root's name (live host) or every asset.
  if (!o.host.empty()) {
    auto h = HostIdentity::parse(o.host);
    if (!h) return h.error();
    s->target.host = std::move(*h);
  } else if (o.root == "/") {
    if (auto h = HostIdentity::parse(local_hostname())) s->target.host = std::move(*h);
  } else if (!o.root.empty() || !o.facts.empty()) {
    // An offline tree or facts file without --host: name it after the path, match no finding
    // by accident (all_hosts stays false, and no identifiers).
    s->target.host.all_hosts = o.findings.empty();
  }
  expand_identity(s->target.host, s->findings);
  s->target.root = o.root;
  s->target.facts_path = o.facts;
  s->target.findings = &s->findings;
  auto tr = evaluate(*s->content, *s->policy, s->target, o.models);
  if (!tr) return tr.error();
  s->result = std::move(*tr);
  s->result.target = !o.root.empty() ? o.root : !o.facts.empty() ? o.facts : "network";
  for (const auto& sc : s->result.scores) {
    auto os = compute_score(sc.system, s->content->benchmark(), *s->policy, s->result.rules,
                            ScoreFlavor::kOpenscap);
    if (!os) return os.error();
    s->openscap_scores.push_back(*os);
  }
  return s;
}

Status write_outputs(const EvalSession& s, const EvalOptions& o) {
  const Run run = s.run();
  if (!o.results_json.empty())
    if (auto st = write_results_json(run, o.results_json); !st) return st;
  if (!o.xccdf_results.empty())
    if (auto st = write_xccdf_results(run, o.xccdf_results); !st) return st;
  if (!o.arf.empty())
    if (auto st = write_arf(run, o.arf); !st) return st;
  return ok_status();
}

}  // namespace vigil::compliance

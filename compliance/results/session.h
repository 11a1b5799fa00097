// One `vigil eval` / `vigil assess` run: load content (+ tailoring), resolve the profile,
// load findings, evaluate, score (spec and oscap flavours), and write the requested outputs.
// The CLI only parses options and prints.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compliance/results/run.h"
#include "compliance/xccdf/parse.h"

namespace vigil::compliance {

struct EvalOptions {
  std::string benchmark, profile, tailoring;
  std::string root, facts;
  std::vector<std::string> findings;
  std::string host;  // --host spec; empty = all assets (findings) / the root's name
  std::string datastream_id, xccdf_id, cpe_dictionary;
  std::vector<std::string> models;  // --score-model (empty: the benchmark's)
  std::string results_json, xccdf_results, arf;
};

struct EvalSession {
  std::shared_ptr<Content> content;
  std::optional<Tailoring> tailoring;
  std::string tailoring_sha256;
  std::optional<Policy> policy;
  FindingSet findings;
  Target target;
  TestResult result;
  std::vector<Score> openscap_scores;

  Run run() const;
  bool any_failed() const;
};

Result<std::unique_ptr<EvalSession>> run_eval(const EvalOptions& opts);
// Writes whichever of results_json / xccdf_results / arf are set.
Status write_outputs(const EvalSession& s, const EvalOptions& opts);

}  // namespace vigil::compliance

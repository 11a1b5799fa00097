// `vigil eval`: evaluate an XCCDF benchmark / SCAP datastream against a root, a facts file
// and finding files; print oscap-style per-rule blocks and scores; write results.
#include <cstdio>

#include "cli/command.h"
#include "compliance/results/session.h"
#include "compliance/results/text_output.h"

namespace vigil::cli {

void add_eval(CLI::App& app, Context& ctx) {
  // Options live on the heap: the callback runs after add_eval returns.
  auto opts = std::make_shared<compliance::EvalOptions>();
  auto& o = *opts;
  auto* cmd = app.add_subcommand("eval", "Evaluate an XCCDF benchmark or SCAP datastream");
  cmd->add_option("--benchmark", o.benchmark, "SCAP source datastream or XCCDF file")->required();
  cmd->add_option("--profile", o.profile, "Profile id (full or short name); default: none");
  cmd->add_option("--tailoring", o.tailoring, "XCCDF tailoring file");
  cmd->add_option("--root", o.root, "Assess the tree mounted at DIR ('/' = this host)");
  cmd->add_option("--facts", o.facts, "Assess facts collected earlier (vigil scan --facts)");
  cmd->add_option("--findings", o.findings,
                  "Finding files (JSON Lines) for urn:vigil:check:findings");
  cmd->add_option("--host", o.host,
                  "Host identity: hostname, IP, MAC or host_id:ID (comma-separated)");
  cmd->add_option("--datastream-id", o.datastream_id, "Data-stream to use in a collection");
  cmd->add_option("--xccdf-id", o.xccdf_id, "Checklist component-ref id in the data-stream");
  cmd->add_option("--cpe", o.cpe_dictionary, "CPE dictionary for a standalone XCCDF file");
  cmd->add_option("--score-model", o.models,
                  "Scoring model URI (repeatable); default: the benchmark's");
  cmd->add_option("--results", o.results_json, "Write results JSON (docs/results.md)")->required();
  cmd->add_option("--xccdf-results", o.xccdf_results,
                  "Write XCCDF 1.2 results (benchmark + TestResult)");
  cmd->add_option("--arf", o.arf, "Write an ARF 1.1 result datastream");
  auto quiet_flag = std::make_shared<bool>(false);
  cmd->add_flag("--quiet", *quiet_flag, "Print only the score lines");
  cmd->callback([opts, quiet_flag, &ctx] {
    auto s = compliance::run_eval(*opts);
    if (!s) {
      print_error(s.error());
      ctx.exit_code = kExitError;
      return;
    }
    compliance::print_eval(stdout, **s, *quiet_flag || ctx.quiet);
    if (auto st = compliance::write_outputs(**s, *opts); !st) {
      print_error(st.error());
      ctx.exit_code = kExitError;
      return;
    }
    for (const auto& w : (*s)->result.warnings) print_info(ctx, "vigil: warning: " + w);
    ctx.exit_code = (*s)->any_failed() ? kExitFailing : kExitOk;
  });
}

}  // namespace vigil::cli

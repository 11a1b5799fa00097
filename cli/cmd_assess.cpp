// `vigil assess`: score collected evidence (a facts file and finding files) against a
// benchmark without touching any host, e.g. last month's collection against a new version.
#include <cstdio>

#include "cli/command.h"
#include "compliance/results/session.h"
#include "compliance/results/text_output.h"

namespace vigil::cli {

void add_assess(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<compliance::EvalOptions>();
  auto quiet = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "assess", "Score facts and findings files against a benchmark (no host access)");
  cmd->add_option("--benchmark", o->benchmark, "SCAP source datastream or XCCDF file")->required();
  cmd->add_option("--profile", o->profile, "Profile id (full or short name)");
  cmd->add_option("--tailoring", o->tailoring, "XCCDF tailoring file");
  cmd->add_option("--facts", o->facts, "Facts file (vigil scan --facts)");
  cmd->add_option("--findings", o->findings, "Finding files (JSON Lines)");
  cmd->add_option("--host", o->host,
                  "Host identity: hostname, IP, MAC or host_id:ID (comma-separated)");
  cmd->add_option("--score-model", o->models, "Scoring model URI (repeatable)");
  cmd->add_option("--results", o->results_json, "Write results JSON (docs/results.md)")->required();
  cmd->add_option("--xccdf-results", o->xccdf_results, "Write XCCDF 1.2 results");
  cmd->add_option("--arf", o->arf, "Write an ARF 1.1 result datastream");
  cmd->add_flag("--quiet", *quiet, "Print only the score lines");
  cmd->callback([o, quiet, &ctx] {
    if (o->facts.empty() && o->findings.empty()) {
      print_error("assess: give --facts and/or --findings");
      ctx.exit_code = kExitUsage;
      return;
    }
    auto s = compliance::run_eval(*o);
    if (!s) {
      print_error(s.error());
      ctx.exit_code = kExitError;
      return;
    }
    compliance::print_eval(stdout, **s, *quiet || ctx.quiet);
    if (auto st = compliance::write_outputs(**s, *o); !st) {
      print_error(st.error());
      ctx.exit_code = kExitError;
      return;
    }
    ctx.exit_code = (*s)->any_failed() ? kExitFailing : kExitOk;
  });
}

}  // namespace vigil::cli

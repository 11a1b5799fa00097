// `vigil report`: results JSON (+ findings, assets) -> HTML, PDF, CSV, JSON or
// Markdown (reports/format_list.h).
#include "cli/command.h"
#include "reports/formats.h"
#include "reports/model/load.h"

namespace vigil::cli {

namespace {

struct ReportOptions {
  std::vector<std::string> results, findings;
  std::string assets, format, out, framework, tenant, title;
};

int run_report(Context& ctx, const ReportOptions& o) {
  reports::Report report;
  report.tenant = o.tenant;
  report.framework = o.framework;
  if (!o.title.empty()) report.title = o.title;
  if (auto st = reports::add_results_files(report, o.results); !st)
    return print_error(st.error()), kExitError;
  for (const auto& path : o.findings)
    if (auto st = reports::add_findings_file(report, path); !st)
      return print_error(st.error()), kExitError;
  if (!o.assets.empty())
    if (auto st = reports::add_assets_file(report, o.assets); !st)
      return print_error(st.error()), kExitError;
  reports::finish(report);
  if (auto st = reports::write_report(report, o.format, o.out); !st)
    return print_error(st.error()), kExitError;
  print_info(ctx, "wrote " + o.format + " report of " + std::to_string(report.runs.size()) +
                      " result file(s), " + std::to_string(report.findings.size()) +
                      " finding(s) to " + o.out);
  return kExitOk;
}

}  // namespace

void add_report(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<ReportOptions>();
  auto* cmd = app.add_subcommand("report",
                                 "Render results and findings as HTML, PDF, CSV, JSON or Markdown");
  cmd->add_option("--results", opts->results,
                  "Results JSON file(s) from `vigil eval/assess --results`")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--findings", opts->findings, "Findings JSON Lines file(s)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--assets", opts->assets, "Asset inventory JSON Lines")->check(CLI::ExistingFile);
  cmd->add_option("--format", opts->format, "Output format")
      ->required()
      ->check(CLI::IsMember(reports::format_names()));
  cmd->add_option("--out", opts->out, "Output file")->required();
  cmd->add_option("--framework", opts->framework, "Limit the framework view to one family")
      ->check(CLI::IsMember({"cis-controls", "nist-800-53", "pci-dss"}));
  cmd->add_option("--tenant", opts->tenant, "Only findings of this tenant; shown in the title")
      ->check(kUtf8Text);
  cmd->add_option("--title", opts->title, "Report title");
  cmd->callback([&ctx, opts] { ctx.exit_code = run_report(ctx, *opts); });
}

}  // namespace vigil::cli

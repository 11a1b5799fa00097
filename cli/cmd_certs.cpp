// `vigil scan certs`: certificate and private-key audit of a root.
#include "cli/command.h"
#include "scanner/certs/audit.h"
#include "scanner/walk/findings_out.h"
#include "scanner/walk/host.h"

namespace vigil::cli {
namespace {

struct CertsArgs {
  std::string root = "/", findings, fail_on, tenant = "default";
  std::vector<std::string> paths;
  int warn_days = 30;
  bool no_homes = false;
};

int run_certs(Context& ctx, const CertsArgs& a) {
  std::optional<core::Severity> fail_on;
  if (!a.fail_on.empty() && !(fail_on = core::parse_severity(a.fail_on)))
    return print_error("--fail-on: unknown severity '" + a.fail_on + "'"), kExitUsage;
  scanner::certs::AuditOptions opt;
  opt.root = a.root;
  opt.paths = a.paths;
  opt.warn_days = a.warn_days;
  opt.homes = !a.no_homes;
  auto r = scanner::certs::audit(opt, scanner::host_asset(a.root));
  if (!r) return print_error(r.error()), kExitError;
  scanner::stamp(r->findings, a.tenant);
  if (auto st = scanner::write_findings(a.findings, r->findings); !st)
    return print_error(st.error()), kExitError;
  for (const auto& p : r->unreadable) print_info(ctx, "  unreadable: " + p.path + ": " + p.reason);
  print_info(ctx, "examined " + std::to_string(r->files_examined) +
                      " files: " + std::to_string(r->certs.size()) + " certificates, " +
                      std::to_string(r->keys.size()) + " private keys (" +
                      std::to_string(r->config_refs.size()) + " paths from service configs); " +
                      std::to_string(r->findings.size()) + " findings");
  return scanner::any_at_or_above(r->findings, fail_on) ? kExitFailing : kExitOk;
}

}  // namespace

void add_certs(CLI::App& app, Context& ctx) {
  auto* scan = subcommand(app, "scan", "Scan this host (configuration, files, certificates)");
  if (scan->get_require_subcommand_max() == 0) scan->require_subcommand(0, 1);
  auto* cmd = scan->add_subcommand("certs", "Audit X.509 certificates and private keys");
  auto a = std::make_shared<CertsArgs>();
  cmd->add_option("--root", a->root, "Directory that is / for the scan (default: live host)");
  cmd->add_option("--path", a->paths, "Extra file or directory to examine (repeatable)");
  cmd->add_option("--warn-days", a->warn_days, "Report certificates expiring within N days (30)")
      ->check(CLI::Range(0, 3650));
  cmd->add_flag("--no-homes", a->no_homes, "Do not look for private keys in /root and /home");
  cmd->add_option("--findings", a->findings, "Output JSON Lines file ('-' = stdout)")->required();
  cmd->add_option("--tenant", a->tenant,
                  "Tenant (client) to stamp on the findings (default: default)")
      ->check(kUtf8Text);
  cmd->add_option("--fail-on", a->fail_on, "Exit 2 when a finding is at/above this severity");
  cmd->callback([&ctx, a] { ctx.exit_code = run_certs(ctx, *a); });
}

}  // namespace vigil::cli

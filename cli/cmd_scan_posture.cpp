// `vigil scan posture`: set-id files outside packages, world-writable system files,
// listening sockets (live host).
#include "cli/command.h"
#include "scanner/posture/posture.h"
#include "scanner/walk/findings_out.h"
#include "scanner/walk/host.h"

namespace vigil::cli {

void add_scan_posture(CLI::App& app, Context& ctx) {
  auto* scan = subcommand(app, "scan", "Scan this host (configuration, files, certificates)");
  if (scan->get_require_subcommand_max() == 0) scan->require_subcommand(0, 1);
  auto* cmd =
      scan->add_subcommand("posture", "Set-id files, world-writable files, listening sockets");
  struct Args {
    std::string root = "/", findings, fail_on, tenant = "default";
    std::vector<std::string> paths;
    bool no_sockets = false;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--root", a->root,
                  "Directory that is / (sockets are read on the live host only)");
  cmd->add_option("--path", a->paths, "Where to look for set-id/world-writable files (default /)");
  cmd->add_flag("--no-sockets", a->no_sockets, "Do not list listening sockets");
  cmd->add_option("--findings", a->findings, "Output JSON Lines file ('-' = stdout)")->required();
  cmd->add_option("--tenant", a->tenant,
                  "Tenant (client) to stamp on the findings (default: default)")
      ->check(kUtf8Text);
  cmd->add_option("--fail-on", a->fail_on, "Exit 2 when a finding is at/above this severity");
  cmd->callback([&ctx, a] {
    std::optional<core::Severity> fail_on;
    if (!a->fail_on.empty() && !(fail_on = core::parse_severity(a->fail_on))) {
      print_error("--fail-on: unknown severity '" + a->fail_on + "'");
      ctx.exit_code = kExitUsage;
      return;
    }
    scanner::posture::Options opt;
    opt.root = a->root;
    if (!a->paths.empty()) opt.paths = a->paths;
    opt.sockets = !a->no_sockets;
    auto r = scanner::posture::scan(opt, scanner::host_asset(a->root));
    if (!r) {
      print_error(r.error());
      ctx.exit_code = kExitError;
      return;
    }
    scanner::stamp(r->findings, a->tenant);
    if (auto st = scanner::write_findings(a->findings, r->findings); !st) {
      print_error(st.error());
      ctx.exit_code = kExitError;
      return;
    }
    print_info(ctx, "posture: " + std::to_string(r->walk.files) + " files checked against " +
                        std::to_string(r->packaged_paths) + " packaged paths, " +
                        std::to_string(r->sockets.size()) + " listening sockets; " +
                        std::to_string(r->findings.size()) + " findings");
    ctx.exit_code = scanner::any_at_or_above(r->findings, fail_on) ? kExitFailing : kExitOk;
  });
}

}  // namespace vigil::cli

// `vigil fim baseline|check`: file integrity against a self-hashed baseline.
#include "cli/command.h"
#include "scanner/fim/baseline.h"
#include "scanner/walk/findings_out.h"
#include "scanner/walk/host.h"

namespace vigil::cli {
namespace {

struct FimArgs {
  std::string root, out, baseline, findings, fail_on, tenant = "default";
  std::vector<std::string> paths, excludes;
  unsigned threads = 0;
  bool all_filesystems = false;
};

int run_baseline(Context& ctx, const FimArgs& a) {
  namespace fim = scanner::fim;
  fim::BuildOptions opt;
  opt.root = a.root.empty() ? "/" : a.root;
  if (!a.paths.empty()) opt.paths = a.paths;
  opt.excludes = a.excludes;
  opt.threads = a.threads;
  opt.one_filesystem = !a.all_filesystems;
  auto b = fim::build(opt);
  if (!b) return print_error(b.error()), kExitError;
  if (auto st = fim::save(*b, a.out); !st) return print_error(st.error()), kExitError;
  for (const auto& [p, why] : b->unreadable) print_info(ctx, "  unreadable: " + p + ": " + why);
  print_info(ctx, "baseline of " + std::to_string(b->files.size()) + " files (" +
                      std::to_string(b->unreadable.size()) + " unreadable) written to " + a.out);
  return kExitOk;
}

int run_check(Context& ctx, const FimArgs& a) {
  namespace fim = scanner::fim;
  std::optional<core::Severity> fail_on;
  if (!a.fail_on.empty() && !(fail_on = core::parse_severity(a.fail_on)))
    return print_error("--fail-on: unknown severity '" + a.fail_on + "'"), kExitUsage;
  auto base = fim::load(a.baseline);
  if (!base) return print_error(base.error()), kExitError;
  fim::BuildOptions opt;
  opt.root = a.root.empty() ? base->root : a.root;
  opt.paths = base->paths;
  opt.excludes = base->excludes;
  opt.threads = a.threads;
  opt.one_filesystem = !a.all_filesystems;
  auto now = fim::build(opt);
  if (!now) return print_error(now.error()), kExitError;
  const auto changes = fim::compare(*base, *now);
  auto findings = fim::to_findings(changes, scanner::host_asset(opt.root), now_micros());
  scanner::stamp(findings, a.tenant);
  if (auto st = scanner::write_findings(a.findings, findings); !st)
    return print_error(st.error()), kExitError;
  std::size_t added = 0, removed = 0, modified = 0;
  for (const auto& c : changes)
    (c.kind == fim::Change::added ? added : c.kind == fim::Change::removed ? removed : modified)++;
  for (const auto& [p, why] : now->unreadable) print_info(ctx, "  unreadable: " + p + ": " + why);
  print_info(ctx, "checked " + std::to_string(now->files.size()) + " files against " +
                      std::to_string(base->files.size()) + " in the baseline: " +
                      std::to_string(added) + " added, " + std::to_string(removed) + " removed, " +
                      std::to_string(modified) + " modified");
  return scanner::any_at_or_above(findings, fail_on) ? kExitFailing : kExitOk;
}

}  // namespace

void add_fim(CLI::App& app, Context& ctx) {
  auto* fim = app.add_subcommand("fim", "File integrity: baseline and check");
  fim->require_subcommand(1);
  auto a = std::make_shared<FimArgs>();

  auto* base = fim->add_subcommand("baseline", "Record SHA-256, size, mode, owner, mtime, links");
  base->add_option("--root", a->root, "Directory that is / (default: live host)");
  base->add_option("--path", a->paths,
                   "Path inside the root (repeatable; default /etc /usr/bin /usr/sbin /usr/lib)");
  base->add_option("--exclude", a->excludes, "Glob on path or name to skip (repeatable)");
  base->add_option("--threads", a->threads, "Hashing threads (default: all cores)");
  base->add_flag("--all-filesystems", a->all_filesystems, "Cross into other mounted filesystems");
  base->add_option("--out", a->out, "Baseline file to write")->required();
  base->callback([&ctx, a] { ctx.exit_code = run_baseline(ctx, *a); });

  auto* check = fim->add_subcommand("check", "Compare the files with a baseline");
  check->add_option("--baseline", a->baseline, "Baseline file")->required();
  check->add_option("--root", a->root, "Directory that is / (default: the baseline's)");
  check->add_option("--threads", a->threads, "Hashing threads (default: all cores)");
  check->add_flag("--all-filesystems", a->all_filesystems, "Cross into other mounted filesystems");
  check->add_option("--findings", a->findings, "Output JSON Lines file ('-' = stdout)")->required();
  check
      ->add_option("--tenant", a->tenant,
                   "Tenant (client) to stamp on the findings (default: default)")
      ->check(kUtf8Text);
  check->add_option("--fail-on", a->fail_on, "Exit 2 when a finding is at/above this severity");
  check->callback([&ctx, a] { ctx.exit_code = run_check(ctx, *a); });
}

}  // namespace vigil::cli

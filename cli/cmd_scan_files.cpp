// `vigil scan files`: YARA over a root-confined tree, incremental with --cache.
#include <cstdio>
#include <mutex>

#include "cli/command.h"
#include "core/util/progress.h"
#include "scanner/walk/findings_out.h"
#include "scanner/walk/host.h"
#include "scanner/yara/file_scan.h"

namespace vigil::cli {
namespace {

struct ScanFilesArgs {
  std::string root = "/";
  std::string rules;
  std::vector<std::string> paths, excludes;
  std::string max_size = "256M";
  unsigned threads = 0;
  int timeout = 60;
  std::string cache, findings, fail_on, tenant = "default";
  bool all_filesystems = false;
};

// Lists at most this many problem paths on stderr; the counts are always complete.
constexpr std::size_t kMaxListed = 50;

int run_scan_files(Context& ctx, const ScanFilesArgs& a) {
  namespace y = scanner::yara;
  auto max_size = scanner::parse_size(a.max_size);
  if (!max_size) return print_error("--max-size: not a size: '" + a.max_size + "'"), kExitUsage;
  std::optional<core::Severity> fail_on;
  if (!a.fail_on.empty() && !(fail_on = core::parse_severity(a.fail_on)))
    return print_error("--fail-on: unknown severity '" + a.fail_on + "'"), kExitUsage;

  auto rules = y::Rules::compile(a.rules);
  if (!rules) return print_error(rules.error()), kExitError;
  print_info(ctx, "compiled " + std::to_string((*rules)->count()) + " YARA rules from " + a.rules);
  const auto& pre = (*rules)->prefilter();
  print_info(ctx, pre.active() ? "pre-filter on: files failing all of " +
                                     std::to_string(pre.gates().size()) +
                                     " size/header conditions are not read"
                               : "pre-filter off: " + pre.why());

  y::ScanOptions opt;
  opt.walk.root = a.root;
  opt.walk.paths = a.paths;
  opt.walk.excludes = a.excludes;
  opt.walk.one_filesystem = !a.all_filesystems;
  opt.max_size = *max_size;
  opt.threads = a.threads;
  opt.timeout_s = a.timeout;
  opt.cache_path = a.cache;
  Progress bar("scan files", 0, ctx.quiet);
  std::mutex bar_mu;
  if (bar.enabled())
    opt.progress = [&](std::uint64_t done, std::uint64_t total) {
      std::lock_guard lock(bar_mu);
      bar.update(done);
      (void)total;
    };
  auto report = y::scan_files(**rules, opt);
  bar.finish();
  if (!report) return print_error(report.error()), kExitError;

  auto findings = y::to_findings(*report, scanner::host_asset(a.root), now_micros());
  scanner::stamp(findings, a.tenant);
  if (auto st = scanner::write_findings(a.findings, findings); !st)
    return print_error(st.error()), kExitError;

  const auto& r = *report;
  std::size_t listed = 0;
  auto list = [&](const std::string& path, const std::string& why) {
    if (listed++ < kMaxListed) print_info(ctx, "  unreadable: " + path + ": " + why);
  };
  for (const auto& p : r.walk.unreadable) list(p.path, p.reason);
  for (const auto& p : r.errors) list(p.path, p.reason);
  for (const auto& p : r.timeouts) print_info(ctx, "  timeout: " + p);
  for (const auto& p : r.walk.missing) print_info(ctx, "  missing: " + p);
  print_info(ctx,
             "files " + std::to_string(r.files) + ", scanned " + std::to_string(r.scanned) +
                 ", cached " + std::to_string(r.cached) + ", ruled out by the pre-filter " +
                 std::to_string(r.prefiltered) + ", over max-size " + std::to_string(r.too_large) +
                 ", unreadable " + std::to_string(r.walk.unreadable.size() + r.errors.size()) +
                 ", timeouts " + std::to_string(r.timeouts.size()) + ", skipped special " +
                 std::to_string(r.walk.special) + ", symlinks " + std::to_string(r.walk.symlinks) +
                 ", other filesystems " + std::to_string(r.walk.other_fs) + ", cycles " +
                 std::to_string(r.walk.cycles) + "; matches " + std::to_string(findings.size()) +
                 " in " + std::to_string(r.hits.size()) + " files");
  return scanner::any_at_or_above(findings, fail_on) ? kExitFailing : kExitOk;
}

}  // namespace

void add_scan_files(CLI::App& app, Context& ctx) {
  auto* scan = subcommand(app, "scan", "Scan this host (configuration, files, certificates)");
  // `vigil scan` also has options of its own (benchmarks): a child is optional, one at most.
  if (scan->get_require_subcommand_max() == 0) scan->require_subcommand(0, 1);
  auto* cmd = scan->add_subcommand("files", "Scan files with YARA rules (root-confined walk)");
  auto a = std::make_shared<ScanFilesArgs>();
  cmd->add_option("--root", a->root, "Directory that is / for the scan (default: live host)");
  cmd->add_option("--yara", a->rules, "YARA rules file, or directory of .yar/.yara files")
      ->required();
  cmd->add_option("--path", a->paths, "Path inside the root to scan (repeatable; default /)");
  cmd->add_option("--exclude", a->excludes, "Glob on path or name to skip (repeatable)");
  cmd->add_option("--max-size", a->max_size,
                  "Skip files larger than this (e.g. 64M; default 256M)");
  cmd->add_option("--threads", a->threads, "Scanning threads (default: all cores)");
  cmd->add_option("--timeout", a->timeout, "Per-file scan timeout in seconds (default 60)");
  cmd->add_option("--cache", a->cache, "SQLite cache for incremental re-scans");
  cmd->add_flag("--all-filesystems", a->all_filesystems,
                "Cross into other mounted filesystems (default: stay on each path's own)");
  cmd->add_option("--findings", a->findings, "Output JSON Lines file ('-' = stdout)")->required();
  cmd->add_option("--tenant", a->tenant,
                  "Tenant (client) to stamp on the findings (default: default)")
      ->check(kUtf8Text);
  cmd->add_option("--fail-on", a->fail_on, "Exit 2 when a finding is at/above this severity");
  cmd->callback([&ctx, a] { ctx.exit_code = run_scan_files(ctx, *a); });
}

}  // namespace vigil::cli

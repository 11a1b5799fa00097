// `vigil scan --benchmark FILE [--profile ID] [--root DIR] --facts OUT.json`: collects
// what a benchmark's OVAL checks need and saves it as a facts file, to be assessed
// later (`vigil oval eval --facts`, `vigil eval --facts`). `vigil scan files` is a child
// command defined elsewhere; this file owns only the options of `vigil scan` itself.
#include "cli/command.h"
#include "compliance/oval/engine.h"

namespace vigil::cli {
namespace {

struct ScanArgs {
  std::string benchmark;
  std::string profile;
  std::string root = "/";
  std::string facts;
};

int run_scan(Context& ctx, const ScanArgs& a) {
  namespace ov = compliance::oval;
  if (a.benchmark.empty() || a.facts.empty()) {
    print_error(
        "scan: --benchmark and --facts are required (or use a subcommand, e.g. `scan files`)");
    return kExitUsage;
  }
  auto doc = ov::load_file(a.benchmark);
  if (!doc) {
    print_error(doc.error());
    return kExitError;
  }
  if (!a.profile.empty())
    print_info(ctx,
               "scan: profile selection needs the XCCDF mapper; collecting for every OVAL "
               "definition (a superset of profile " +
                   a.profile + ")");
  auto live = ov::root_source(a.root);
  ov::RecordingSource rec(*live, a.root);
  ov::Engine engine(**doc, rec);
  auto results = engine.evaluate_all();
  if (auto st = rec.write(a.facts); !st) {
    print_error(st.error());
    return kExitError;
  }
  print_info(ctx, "scan: " + std::to_string(rec.size()) + " objects collected for " +
                      std::to_string(results.size()) + " definitions -> " + a.facts);
  return kExitOk;
}

}  // namespace

void add_scan(CLI::App& app, Context& ctx) {
  auto* scan = subcommand(app, "scan", "Scan this host (configuration, files, certificates)");
  if (scan->get_require_subcommand_max() == 0) scan->require_subcommand(0, 1);
  auto a = std::make_shared<ScanArgs>();
  scan->add_option("--benchmark", a->benchmark,
                   "OVAL definitions or SCAP datastream to collect for");
  scan->add_option("--profile", a->profile, "XCCDF profile id (see note: all definitions for now)");
  scan->add_option("--root", a->root, "Directory that is / for collection (default: live host)");
  scan->add_option("--facts", a->facts, "Write collected facts (JSON) here");
  scan->callback([&ctx, a, scan]() {
    if (!scan->get_subcommands().empty()) return;  // a child such as `scan files` ran
    ctx.exit_code = run_scan(ctx, *a);
  });
}

}  // namespace vigil::cli

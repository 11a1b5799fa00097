// `vigil oval eval DEFINITIONS.xml [--root DIR | --facts F] [--results OUT.xml]`:
// evaluates every definition of a standalone OVAL file (or a datastream's OVAL
// component) and prints `Definition ID: result` lines like `oscap oval eval`.
#include <iostream>

#include "cli/command.h"
#include "compliance/oval/engine.h"
#include "compliance/oval/results_xml.h"

namespace vigil::cli {
namespace {

struct OvalEvalArgs {
  std::string file;
  std::string root = "/";
  std::string facts;
  std::string results;
  std::string id;
  std::vector<std::string> vars;
};

int run_oval_eval(Context& ctx, const OvalEvalArgs& a) {
  namespace ov = compliance::oval;
  auto doc = ov::load_file(a.file);
  if (!doc) {
    print_error(doc.error());
    return kExitError;
  }
  ov::ExternalValues ext;
  for (const auto& v : a.vars) {
    auto eq = v.find('=');
    if (eq == std::string::npos) {
      print_error("--var expects ID=VALUE, got '" + v + "'");
      return kExitUsage;
    }
    ext[v.substr(0, eq)].push_back(v.substr(eq + 1));
  }
  std::unique_ptr<ov::CollectionSource> src;
  if (!a.facts.empty()) {
    auto f = ov::facts_source(a.facts);
    if (!f) {
      print_error(f.error());
      return kExitError;
    }
    src = std::move(*f);
  } else {
    src = ov::root_source(a.root);
  }
  ov::Engine engine(**doc, *src, std::move(ext));
  if (a.results.empty()) engine.set_evidence_limit(0);  // only result lines are printed
  std::vector<ov::DefinitionResult> results;
  if (!a.id.empty())
    results.push_back(engine.evaluate(a.id));
  else
    results = engine.evaluate_all();
  for (const auto& r : results)
    std::cout << "Definition " << r.id << ": " << ov::to_string(r.result) << '\n';
  std::cout.flush();
  if (!a.results.empty()) {
    if (auto st = ov::write_results(a.results, **doc, results); !st) {
      print_error(st.error());
      return kExitError;
    }
    print_info(ctx, "OVAL results written to " + a.results);
  }
  return kExitOk;
}

}  // namespace

void add_oval(CLI::App& app, Context& ctx) {
  auto* oval = subcommand(app, "oval", "OVAL 5.11 definitions: evaluate against a host or root");
  oval->require_subcommand(1);
  auto* ev = oval->add_subcommand("eval", "Evaluate every definition and print its result");
  auto a = std::make_shared<OvalEvalArgs>();
  ev->add_option("definitions", a->file, "OVAL definitions file (or SCAP datastream)")->required();
  auto* root =
      ev->add_option("--root", a->root, "Directory that is / for collection (default: live host)");
  ev->add_option("--facts", a->facts, "Evaluate from a facts file instead of collecting")
      ->excludes(root);
  ev->add_option("--results", a->results, "Write OVAL results XML here");
  ev->add_option("--id", a->id, "Evaluate only this definition");
  ev->add_option("--var", a->vars, "External variable value ID=VALUE (repeatable)");
  ev->callback([&ctx, a]() { ctx.exit_code = run_oval_eval(ctx, *a); });
}

}  // namespace vigil::cli

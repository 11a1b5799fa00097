// `vigil benchmark info|validate`: what a datastream / XCCDF file holds (like `oscap info`)
// and whether its references hold together.
#include <cstdio>
#include <functional>
#include <set>

#include "cli/command.h"
#include "compliance/ds/content.h"
#include "compliance/results/text_output.h"
#include "compliance/xccdf/policy.h"
#include "compliance/xccdf/validate.h"

namespace vigil::cli {

namespace {

using compliance::printable;

void print_info_of(const compliance::Content& c) {
  const auto& b = c.benchmark();
  if (c.is_datastream()) {
    std::printf("Document type: Source Data Stream\n");
    std::printf("Stream: %s\n", c.datastream_id().c_str());
    std::printf("SCAP version: %s\n", c.scap_version().c_str());
  } else {
    std::printf("Document type: XCCDF Checklist\n");
  }
  std::printf("SHA-256: %s\n", c.sha256().c_str());
  std::printf("Checklist: %s\n",
              c.is_datastream() ? c.xccdf_component_ref().c_str() : c.path().c_str());
  std::printf("\tBenchmark: %s\n", b.id.c_str());
  std::printf("\tXCCDF version: %s\n", b.xccdf_ns == compliance::kXccdf11Ns ? "1.1" : "1.2");
  std::printf("\tStatus: %s\n", b.status.c_str());
  std::printf("\tVersion: %s\n", b.version.c_str());
  std::printf("\tTitle: %s\n", printable(b.title).c_str());
  std::printf("\tRules: %zu\tGroups: %zu\tValues: %zu\n", b.rules.size(), b.groups.size(),
              b.value_items.size());
  std::printf("\tScoring models: %s\n",
              b.models.empty() ? "urn:xccdf:scoring:default (implicit)" : "");
  for (const auto& m : b.models) std::printf("\t\t%s\n", m.c_str());
  std::printf("\tProfiles:\n");
  for (const auto& p : b.profiles) {
    std::size_t sel = 0;
    if (auto pol = compliance::Policy::make(b, p.id))
      for (const auto& [id, r] : b.rules) sel += pol->rule_selected(r) ? 1 : 0;
    std::printf("\t\tTitle: %s\n", printable(p.title).c_str());
    std::printf("\t\t\tId: %s\n", p.id.c_str());
    std::printf("\t\t\tSelected rules: %zu\n", sel);
  }
  std::set<std::pair<std::string, std::string>> refs;
  std::function<void(const compliance::Check&)> walk = [&](const compliance::Check& ck) {
    for (const auto& r : ck.refs) refs.insert({r.href, ck.system});
    if (!ck.inline_content_xml.empty()) refs.insert({"(inline check-content)", ck.system});
    for (const auto& sub : ck.children) walk(sub);
  };
  for (const auto& [id, r] : b.rules) {
    for (const auto& ck : r.checks) walk(ck);
    if (r.complex_check) walk(*r.complex_check);
  }
  std::printf("\tReferenced check files:\n");
  for (const auto& [href, sys] : refs)
    std::printf("\t\t%s\n\t\t\tsystem: %s\n", href.c_str(), sys.c_str());
  if (c.is_datastream()) {
    for (const char* role : {"checks", "dictionaries"}) {
      std::printf("%s%s:\n", std::string(1, static_cast<char>(role[0] - 32)).c_str(), role + 1);
      for (const auto& cr : c.component_refs())
        if (cr.role == role) std::printf("\tRef-Id: %s\n", cr.id.c_str());
    }
  }
  if (!c.cpe_dictionary().empty())
    std::printf("CPE dictionary: %zu names\n", c.cpe_dictionary().size());
}

}  // namespace

void add_benchmark(CLI::App& app, Context& ctx) {
  auto* bm = subcommand(app, "benchmark", "Inspect and validate SCAP content");
  auto info_path = std::make_shared<std::string>();
  auto* info =
      bm->add_subcommand("info", "Profiles, rule counts and referenced files (like oscap info)");
  info->add_option("file", *info_path, "SCAP source datastream or XCCDF file")->required();
  info->callback([info_path, &ctx] {
    auto c = compliance::Content::load(*info_path);
    if (!c) {
      print_error(c.error());
      ctx.exit_code = kExitError;
      return;
    }
    print_info_of(**c);
  });
  auto val_path = std::make_shared<std::string>();
  auto* val =
      bm->add_subcommand("validate", "Check structure and references; errors name the element");
  val->add_option("file", *val_path, "SCAP source datastream or XCCDF file")->required();
  val->callback([val_path, &ctx] {
    auto c = compliance::Content::load(*val_path);
    if (!c) {
      print_error(c.error());
      ctx.exit_code = kExitError;
      return;
    }
    auto rep = compliance::validate_content(**c);
    for (const auto& w : rep.warnings) print_info(ctx, "vigil: warning: " + w.str());
    for (const auto& e : rep.errors) print_error(e);
    if (!rep.errors.empty()) {
      ctx.exit_code = kExitError;
      return;
    }
    print_info(ctx, *val_path + ": valid (" + std::to_string((*c)->benchmark().rules.size()) +
                        " rules, " + std::to_string(rep.warnings.size()) + " warnings)");
  });
  bm->require_subcommand(1);
}

}  // namespace vigil::cli

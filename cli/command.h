// What every subcommand shares: global options, exit codes and error printing.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "core/util/json_text.h"
#include "core/util/result.h"

namespace vigil::cli {

// Exit codes (documented in `vigil --help` and README).
enum Exit : int {
  kExitOk = 0,
  kExitError = 1,
  kExitFailing = 2,  // ran, and found failing rules / findings at or above --fail-on
  kExitUsage = 64,
};

struct Context {
  bool quiet = false;
  std::string log_level = "info";
  // Set by the chosen subcommand's callback; main() returns it.
  int exit_code = kExitOk;
};

// Returns the top-level subcommand `name`, creating it on first use, so that two
// files can each add children to e.g. `vigil scan` without knowing about each other.
inline CLI::App* subcommand(CLI::App& app, const std::string& name, const std::string& desc) {
  for (auto* sub : app.get_subcommands({}))
    if (sub->get_name() == name) return sub;
  return app.add_subcommand(name, desc);
}

// For text that ends up in JSON (a tenant, an audit note): well-formed
// UTF-8, or a usage error naming the option.
inline const CLI::Validator kUtf8Text(
    [](std::string& s) { return valid_utf8(s) ? std::string() : std::string("not valid UTF-8"); },
    "", "UTF-8");

// Prints "vigil: <where>: <what>" on stderr (one line).
void print_error(const Error& e);
void print_error(const std::string& what);
// Informational line on stderr unless --quiet.
void print_info(const Context& ctx, const std::string& line);

#define VIGIL_COMMAND(name) void add_##name(CLI::App& app, Context& ctx);
#include "cli/command_list.h"
#undef VIGIL_COMMAND

}  // namespace vigil::cli

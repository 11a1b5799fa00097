// Entry point of the `vigil` command: global options, the subcommand registry,
// and the mapping of CLI11 parse errors onto our documented exit codes.
#include <cstdio>
#include <iostream>

#include "cli/command.h"

namespace vigil::cli {

void print_error(const Error& e) {
  std::fprintf(stderr, "vigil: %s\n", e.str().c_str());
}
void print_error(const std::string& what) {
  std::fprintf(stderr, "vigil: %s\n", what.c_str());
}
void print_info(const Context& ctx, const std::string& line) {
  if (!ctx.quiet) std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace vigil::cli

namespace {

constexpr const char* kFooter = R"(Exit codes:
  0   success
  1   error (bad input, unreadable file, internal failure)
  2   ran, and found failing rules or findings at/above --fail-on
  64  usage error (unknown option, missing argument)

Run `vigil help SUBCOMMAND` for a subcommand's options.)";

}  // namespace

int main(int argc, char** argv) {
  using namespace vigil::cli;
  CLI::App app{"Vigil: security monitoring and compliance scanner", "vigil"};
  app.set_version_flag("--version", std::string("vigil ") + VIGIL_VERSION);
  app.footer(kFooter);
  app.require_subcommand(1);
  Context ctx;
  app.add_flag("-q,--quiet", ctx.quiet, "Print only errors and requested output");
  app.add_option("--log-level", ctx.log_level, "Log level: error, warn, info, debug")
      ->check(CLI::IsMember({"error", "warn", "info", "debug"}));

  auto* help = app.add_subcommand("help", "Show help for a subcommand");
  std::string help_topic;
  help->add_option("subcommand", help_topic, "Subcommand name");

#define VIGIL_COMMAND(name) add_##name(app, ctx);
#include "cli/command_list.h"
#undef VIGIL_COMMAND

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "vigil: %s\n", e.what());
    std::fprintf(stderr, "Run `vigil --help` for usage.\n");
    return kExitUsage;
  } catch (const std::exception& e) {
    // Subcommands return errors as values; this is the last line of defence.
    print_error(std::string("internal error: ") + e.what());
    return kExitError;
  }

  if (help->parsed()) {
    if (help_topic.empty()) {
      std::cout << app.help();
      return kExitOk;
    }
    for (auto* sub : app.get_subcommands({})) {
      if (sub->get_name() == help_topic) {
        std::cout << sub->help();
        return kExitOk;
      }
    }
    print_error("help: unknown subcommand '" + help_topic + "'");
    return kExitUsage;
  }
  return ctx.exit_code;
}

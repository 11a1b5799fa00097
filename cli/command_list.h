// The one list of `vigil` subcommands. Adding a command = a cmd_<name>.cpp that
// defines `void vigil::cli::add_<name>(CLI::App&, Context&)` + one line here.
// (No #pragma once: this is an X-macro list included with VIGIL_COMMAND defined.)
VIGIL_COMMAND(findings)

// Terminal output of an evaluation, in `oscap xccdf eval`'s shape: one block per selected
// rule (Title / Rule / Ident / Result), then one Score line per model.
#pragma once

#include <cstdio>

#include "compliance/results/session.h"

namespace vigil::compliance {

// quiet: only the score lines (like oscap --quiet, which prints nothing per rule).
void print_eval(std::FILE* out, const EvalSession& s, bool quiet);
// Control characters from content or evidence never reach the terminal.
std::string printable(std::string_view s);

}  // namespace vigil::compliance

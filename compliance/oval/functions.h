// Local-variable functions (OVAL 5.11 section "FunctionGroup") over value lists.
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "compliance/oval/model.h"

namespace vigil::compliance::oval {

struct Values {
  scanner::Flag flag = scanner::Flag::kComplete;
  std::vector<std::string> values;
  std::string message;
};

// Worst flag of two, for functions combining several components.
scanner::Flag combine_flags(scanner::Flag a, scanner::Flag b);

// Applies function `c.kind` to its already evaluated arguments.
Values apply_function(const Component& c, Datatype dt, const std::vector<Values>& args);

std::string escape_regex(const std::string& s);
std::string glob_to_regex(const std::string& glob, bool noescape);
// time_difference (time_difference.cpp); `now` stands in for the current time.
Values time_difference(const Component& c, const std::vector<Values>& args, std::time_t now);

}  // namespace vigil::compliance::oval

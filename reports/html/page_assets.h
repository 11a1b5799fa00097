// The static parts of the HTML report: stylesheet and renderer script. They are
// constants (never built from data), so the CSP can pin them by SHA-256 hash.
#pragma once

#include <string_view>

namespace vigil::reports {

extern const std::string_view kPageStyle;
extern const std::string_view kPageScript;

}  // namespace vigil::reports

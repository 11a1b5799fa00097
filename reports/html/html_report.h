// The self-contained HTML report (no network: CSP default-src 'none').
#pragma once

#include <string>

#include "reports/model/model.h"

namespace vigil::reports {

std::string render_html(const Report& report);

}  // namespace vigil::reports

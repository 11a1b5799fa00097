// OVAL results document (oval-results-5) for `vigil oval eval --results`.
#pragma once

#include <string>
#include <vector>

#include "compliance/oval/engine.h"

namespace vigil::compliance::oval {

Status write_results(const std::string& path, const Document& doc,
                     const std::vector<DefinitionResult>& results);

}  // namespace vigil::compliance::oval

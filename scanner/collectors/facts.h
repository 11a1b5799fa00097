// Facts files: collected objects saved as JSON so a host can be collected on site and
// assessed later (`vigil scan --facts`, then evaluation from the file).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "core/util/result.h"
#include "scanner/collectors/types.h"

namespace vigil::scanner {

inline constexpr const char* kFactsFormat = "vigil-facts/1";

nlohmann::json collection_to_json(const Collection& c);
Result<Collection> collection_from_json(const nlohmann::json& j);

}  // namespace vigil::scanner

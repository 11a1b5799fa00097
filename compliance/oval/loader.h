// Loads OVAL 5.11 definitions from a standalone file, a SCAP source datastream
// component, or an already parsed <oval_definitions> element. Refuses DTDs/entity
// declarations, over-deep nesting, unknown enumerations and dangling references, with
// the file and line of the offending element.
#pragma once

#include <pugixml.hpp>

#include <memory>
#include <string>

#include "compliance/oval/model.h"
#include "core/util/result.h"

namespace vigil::compliance::oval {

// Maximum element nesting accepted anywhere in the document.
inline constexpr int kMaxXmlDepth = 256;

// path: standalone OVAL file, or a datastream collection (component_id picks a
// <ds:component>; empty = the first component holding oval_definitions).
Result<std::shared_ptr<const Document>> load_file(const std::string& path,
                                                  const std::string& component_id = {});
// Parses bytes (origin names them in messages).
Result<std::shared_ptr<const Document>> load_buffer(const std::string& bytes,
                                                    const std::string& origin,
                                                    const std::string& component_id = {});
// From a parsed <oval_definitions> element (e.g. a datastream the XCCDF side already
// holds). Lines are not known there (0).
Result<std::shared_ptr<const Document>> load_node(const pugi::xml_node& oval_definitions,
                                                  const std::string& origin);

}  // namespace vigil::compliance::oval

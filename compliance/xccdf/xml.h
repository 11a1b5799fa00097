// Safe XML loading for SCAP content (untrusted files): size cap, no DTD / entity
// declarations, element depth cap, and offset -> line for error messages. Helpers that
// compare local names, because SCAP files use any prefix for their namespaces.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "core/util/result.h"

namespace vigil::compliance {

inline constexpr std::size_t kMaxXmlBytes = 512u << 20;  // 512 MiB
inline constexpr int kMaxXmlDepth = 256;

// A parsed document with the means to name a node's line.
struct XmlDoc {
  std::string path;
  pugi::xml_document doc;
  std::vector<std::uint32_t> newlines;  // byte offsets of '\n' (files are < 512 MiB)
  std::string sha256;                   // of the file bytes

  int line_of(std::ptrdiff_t offset) const;
  int line_of(const pugi::xml_node& n) const { return line_of(n.offset_debug()); }
  // "PATH:LINE" for a node.
  std::string where(const pugi::xml_node& n) const;
};

Result<std::shared_ptr<XmlDoc>> load_xml_file(const std::string& path);
Result<std::shared_ptr<XmlDoc>> load_xml_string(std::string text, const std::string& label);

// "xccdf-1.2:Rule" -> "Rule".
std::string_view local_name(const pugi::xml_node& n);
std::string_view local_name(std::string_view qname);
// The namespace URI in scope for the node's prefix (walks up for xmlns declarations).
std::string namespace_of(const pugi::xml_node& n);
// First child with this local name.
pugi::xml_node child(const pugi::xml_node& n, std::string_view local);
std::vector<pugi::xml_node> children(const pugi::xml_node& n, std::string_view local);
// Attribute by local name (xlink:href == href).
pugi::xml_attribute attr(const pugi::xml_node& n, std::string_view local);
// Text content of a node and its descendants, whitespace runs collapsed; <sub idref>
// elements are replaced by `sub(idref)` when given.
std::string text_of(const pugi::xml_node& n);
// Serialises a node (for kept markup, e.g. check-content).
std::string outer_xml(const pugi::xml_node& n);

}  // namespace vigil::compliance

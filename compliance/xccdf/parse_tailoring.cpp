// XCCDF Tailoring files: profiles that extend/override the benchmark's (oscap --tailoring-file).
#include "compliance/xccdf/parse.h"

namespace vigil::compliance {

Result<Tailoring> parse_tailoring(const pugi::xml_node& n, const XmlDoc& doc) {
  Tailoring t;
  t.id = attr(n, "id").value();
  t.path = doc.path;
  t.benchmark_href = attr(child(n, "benchmark"), "href").value();
  t.version = text_of(child(n, "version"));
  for (auto p : children(n, "Profile")) {
    auto pr = parse_profile(p, doc);
    if (!pr) return pr.error();
    t.profiles.push_back(std::move(*pr));
  }
  if (t.profiles.empty()) return Error{doc.where(n), "Tailoring " + t.id + " has no Profile"};
  return t;
}

Result<Tailoring> load_tailoring(const std::string& path) {
  auto d = load_xml_file(path);
  if (!d) return d.error();
  const pugi::xml_node root = (*d)->doc.document_element();
  if (local_name(root) == "Tailoring") return parse_tailoring(root, **d);
  // A datastream carrying the tailoring as a component.
  for (auto comp : children(root, "component"))
    for (auto c = comp.first_child(); c; c = c.next_sibling())
      if (c.type() == pugi::node_element && local_name(c) == "Tailoring")
        return parse_tailoring(c, **d);
  return Error{(*d)->where(root), "no xccdf:Tailoring element"};
}

}  // namespace vigil::compliance

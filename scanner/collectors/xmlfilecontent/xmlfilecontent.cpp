// xmlfilecontent_object (independent): an XPath 1.0 expression over each designated XML
// file, evaluated with pugixml. What becomes value_of follows oscap 1.3.7 (libxml2):
// attribute and text nodes give their value, element nodes give none (the item exists
// without value_of), an empty node-set gives no item, a string/number/boolean result
// gives one value. Unparsable files and invalid expressions make the object an error.
#include <pugixml.hpp>

#include "scanner/collectors/file/paths.h"
#include "scanner/collectors/registry.h"

namespace vigil::scanner {

namespace {

Item base_item(const FileRef& r, const std::string& xpath) {
  Item it;
  it.type = "xmlfilecontent_item";
  it.source_file = r.filepath();
  it.add("filepath", r.filepath());
  it.add("path", r.path);
  it.add("filename", r.filename);
  it.add("xpath", xpath);
  return it;
}

// Values of one XPath result; false when the node-set is empty (no item).
bool values_of(const pugi::xpath_query& q, const pugi::xml_document& doc, Item& it) {
  switch (q.return_type()) {
    case pugi::xpath_type_node_set: {
      pugi::xpath_node_set ns = q.evaluate_node_set(doc);
      if (ns.empty()) return false;
      ns.sort();
      for (const auto& n : ns) {
        if (n.attribute()) {
          it.add("value_of", n.attribute().value());
        } else if (n.node().type() == pugi::node_pcdata || n.node().type() == pugi::node_cdata) {
          it.add("value_of", n.node().value());
        }
      }
      return true;
    }
    case pugi::xpath_type_boolean:
      it.add("value_of", q.evaluate_boolean(doc) ? "true" : "false");
      return true;
    default:
      it.add("value_of", q.evaluate_string(doc));
      return true;
  }
}

}  // namespace

Collection collect_xmlfilecontent(const ObjectQuery& q, CollectContext& ctx) {
  const ObjectEntity* xpath = q.entity("xpath");
  if (!xpath) return Collection::with_flag(Flag::kError, "xmlfilecontent_object without xpath");
  if (xpath->operation != Operation::kEquals)
    return Collection::with_flag(Flag::kError,
                                 "xmlfilecontent_object: xpath operation must be "
                                 "'equals'");
  // Compile every expression first: an invalid one is an error whatever the files.
  std::vector<std::pair<std::string, std::unique_ptr<pugi::xpath_query>>> queries;
  for (const auto& x : xpath->values) {
    try {
      queries.emplace_back(x, std::make_unique<pugi::xpath_query>(x.c_str()));
    } catch (const pugi::xpath_exception& e) {
      return Collection::with_flag(Flag::kError,
                                   "xmlfilecontent: invalid XPath '" + x + "': " + e.what());
    }
  }
  FileRefs refs = find_files(q, ctx);
  if (!refs.error.empty()) return Collection::with_flag(Flag::kError, refs.error);
  Collection c;
  for (const auto& r : refs.refs) {
    if (r.filename.empty()) continue;
    const std::string fp = r.filepath();
    auto st = ctx.root.stat(fp);
    if (!st || !S_ISREG(st->st_mode)) continue;
    auto data = ctx.root.read_file(fp);
    pugi::xml_document doc;
    pugi::xml_parse_result parsed;
    if (data) parsed = doc.load_buffer(data->data(), data->size(), pugi::parse_default);
    if (!data || !parsed) {
      // oscap: the whole object is an error ("Can't parse '<file>'.").
      return Collection::with_flag(Flag::kError,
                                   "xmlfilecontent: can't parse '" + fp + "': " +
                                       (data ? std::string(parsed.description()) + " at offset " +
                                                   std::to_string(parsed.offset)
                                             : data.error().str()));
    }
    for (const auto& [text, query] : queries) {
      Item it = base_item(r, text);
      try {
        if (values_of(*query, doc, it)) c.items.push_back(std::move(it));
      } catch (const std::exception& e) {
        return Collection::with_flag(Flag::kError,
                                     "xmlfilecontent: XPath '" + text + "': " + e.what());
      }
    }
  }
  c.flag = c.items.empty() ? Flag::kDoesNotExist : Flag::kComplete;
  return c;
}

}  // namespace vigil::scanner

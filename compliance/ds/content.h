// Loaded SCAP content: a source datastream (SCAP 1.2/1.3 ds:data-stream-collection) or a
// standalone XCCDF 1.1/1.2 benchmark with its sibling files. Gives the parsed Benchmark,
// the CPE dictionary, and resolves check-content-ref hrefs to components (through the
// component-ref XML catalogs in a datastream, or relative paths for standalone files).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "compliance/xccdf/model.h"
#include "compliance/xccdf/xml.h"
#include "core/util/result.h"

namespace vigil::compliance {

// A document a check can point at: an OVAL definitions file, a CPE OVAL file...
struct Component {
  std::string id;     // ds:component id, or the file path for standalone content
  std::string label;  // what the href said ("ssg-ubuntu2204-oval.xml")
  std::shared_ptr<XmlDoc> doc;
  pugi::xml_node root;  // the component's root element
  std::string kind() const { return std::string(local_name(root)); }
};

struct CpeCheck {
  std::string system, href, name;
};

struct CpeItem {
  std::string name, title;
  std::vector<CpeCheck> checks;
};

struct ComponentRefInfo {
  std::string id, href, role;  // role: dictionaries | checklists | checks | extended-components
  std::map<std::string, std::string> catalog;  // name -> uri
};

struct LoadOptions {
  std::string datastream_id;   // empty: the first data-stream
  std::string xccdf_id;        // checklist component-ref id; empty: the first checklist
  std::string cpe_dictionary;  // standalone XCCDF: optional CPE dictionary file
};

class Content {
 public:
  static Result<std::shared_ptr<Content>> load(const std::string& path,
                                               const LoadOptions& opts = {});

  const Benchmark& benchmark() const { return benchmark_; }
  bool is_datastream() const { return datastream_; }
  const std::string& path() const { return path_; }
  const std::string& sha256() const { return doc_->sha256; }
  const std::string& datastream_id() const { return ds_id_; }
  const std::string& scap_version() const { return scap_version_; }
  const std::string& xccdf_component_ref() const { return xccdf_cref_; }
  const std::vector<ComponentRefInfo>& component_refs() const { return crefs_; }
  const std::map<std::string, CpeItem>& cpe_dictionary() const { return cpe_; }
  const XmlDoc& doc() const { return *doc_; }
  pugi::xml_node benchmark_node() const { return bench_node_; }

  // Resolves an href of a check-content-ref (from the benchmark) or of a CPE dictionary
  // check (from_dictionary=true). Error names the href and the catalog tried.
  Result<const Component*> resolve(const std::string& href, bool from_dictionary = false) const;

 private:
  Result<const Component*> component_by_ref_id(const std::string& cref_id) const;
  Status load_cpe_list(const pugi::xml_node& list, const std::string& label);

  std::string path_, dir_;
  bool datastream_ = false;
  std::shared_ptr<XmlDoc> doc_;
  pugi::xml_node ds_node_, bench_node_;
  std::string ds_id_, scap_version_, xccdf_cref_, dict_cref_;
  Benchmark benchmark_;
  std::vector<ComponentRefInfo> crefs_;
  std::map<std::string, CpeItem> cpe_;
  mutable std::map<std::string, std::unique_ptr<Component>> cache_;
};

}  // namespace vigil::compliance

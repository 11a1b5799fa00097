// Datastream / standalone loading and href resolution (see content.h).
#include "compliance/ds/content.h"

#include <filesystem>

#include "compliance/xccdf/parse.h"

namespace vigil::compliance {

namespace {

pugi::xml_node find_by_id(const pugi::xml_node& parent, std::string_view local,
                          std::string_view id) {
  for (auto c : children(parent, local))
    if (id == attr(c, "id").value()) return c;
  return {};
}

// A ds:component wraps exactly one content element.
pugi::xml_node first_element(const pugi::xml_node& n) {
  for (auto c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element) return c;
  return {};
}

}  // namespace

Status Content::load_cpe_list(const pugi::xml_node& list, const std::string& label) {
  (void)label;
  for (auto item : children(list, "cpe-item")) {
    CpeItem ci;
    ci.name = attr(item, "name").value();
    ci.title = text_of(child(item, "title"));
    for (auto ck : children(item, "check"))
      ci.checks.push_back({attr(ck, "system").value(), attr(ck, "href").value(), ck.child_value()});
    cpe_[ci.name] = std::move(ci);
  }
  return ok_status();
}

Result<std::shared_ptr<Content>> Content::load(const std::string& path, const LoadOptions& opts) {
  auto doc = load_xml_file(path);
  if (!doc) return doc.error();
  auto c = std::shared_ptr<Content>(new Content());
  c->path_ = path;
  c->dir_ = std::filesystem::path(path).parent_path().string();
  c->doc_ = *doc;
  const pugi::xml_node root = c->doc_->doc.document_element();
  const auto rl = local_name(root);
  if (rl == "data-stream-collection") {
    c->datastream_ = true;
    pugi::xml_node ds;
    for (auto d : children(root, "data-stream"))
      if (opts.datastream_id.empty() || opts.datastream_id == attr(d, "id").value()) {
        ds = d;
        break;
      }
    if (!ds)
      return Error{c->doc_->where(root),
                   opts.datastream_id.empty()
                       ? "datastream collection without a data-stream"
                       : "no data-stream with id '" + opts.datastream_id + "'"};
    c->ds_node_ = ds;
    c->ds_id_ = attr(ds, "id").value();
    c->scap_version_ = attr(ds, "scap-version").value();
    for (auto role : {"dictionaries", "checklists", "checks", "extended-components"}) {
      for (auto cr : children(child(ds, role), "component-ref")) {
        ComponentRefInfo info{attr(cr, "id").value(), attr(cr, "href").value(), role, {}};
        for (auto u : children(child(cr, "catalog"), "uri"))
          info.catalog[attr(u, "name").value()] = attr(u, "uri").value();
        c->crefs_.push_back(std::move(info));
      }
    }
    // The checklist: the chosen (or first) checklist component-ref that holds a Benchmark.
    for (const auto& cr : c->crefs_) {
      if (cr.role != "checklists") continue;
      if (!opts.xccdf_id.empty() && opts.xccdf_id != cr.id) continue;
      auto comp = c->component_by_ref_id(cr.id);
      if (!comp) return comp.error();
      if ((*comp)->kind() != "Benchmark") continue;
      c->xccdf_cref_ = cr.id;
      c->bench_node_ = (*comp)->root;
      break;
    }
    if (!c->bench_node_)
      return Error{c->doc_->where(ds), opts.xccdf_id.empty()
                                           ? "data-stream " + c->ds_id_ + " has no XCCDF checklist"
                                           : "no checklist component-ref '" + opts.xccdf_id + "'"};
    for (const auto& cr : c->crefs_) {
      if (cr.role != "dictionaries") continue;
      auto comp = c->component_by_ref_id(cr.id);
      if (!comp) return comp.error();
      if ((*comp)->kind() == "cpe-list") {
        c->dict_cref_ = cr.id;
        if (auto s = c->load_cpe_list((*comp)->root, cr.id); !s) return s.error();
      }
    }
  } else if (rl == "Benchmark") {
    c->bench_node_ = root;
    if (!opts.cpe_dictionary.empty()) {
      auto d = load_xml_file(opts.cpe_dictionary);
      if (!d) return d.error();
      auto comp = std::make_unique<Component>();
      comp->id = opts.cpe_dictionary;
      comp->label = opts.cpe_dictionary;
      comp->doc = *d;
      comp->root = (*d)->doc.document_element();
      if (auto s = c->load_cpe_list(comp->root, comp->id); !s) return s.error();
      c->cache_["dict:" + opts.cpe_dictionary] = std::move(comp);
    }
  } else {
    return Error{c->doc_->where(root), "not a SCAP source datastream or XCCDF Benchmark (root <" +
                                           std::string(root.name()) + ">)"};
  }
  auto b = parse_benchmark(c->bench_node_, *c->doc_);
  if (!b) return b.error();
  c->benchmark_ = std::move(*b);
  return c;
}

Result<const Component*> Content::component_by_ref_id(const std::string& cref_id) const {
  if (auto it = cache_.find("cref:" + cref_id); it != cache_.end()) return it->second.get();
  const pugi::xml_node root = doc_->doc.document_element();
  pugi::xml_node cr;
  for (auto role : {"dictionaries", "checklists", "checks", "extended-components"})
    if ((cr = find_by_id(child(ds_node_, role), "component-ref", cref_id))) break;
  if (!cr) return Error{path_, "no component-ref '" + cref_id + "' in data-stream " + ds_id_};
  std::string href = attr(cr, "href").value();
  if (href.empty() || href[0] != '#')
    return Error{doc_->where(cr), "component-ref " + cref_id + " points outside the datastream ('" +
                                      href + "'): remote components are not fetched"};
  const std::string comp_id = href.substr(1);
  pugi::xml_node comp = find_by_id(root, "component", comp_id);
  if (!comp) comp = find_by_id(root, "extended-component", comp_id);
  if (!comp)
    return Error{doc_->where(cr), "component-ref " + cref_id + ": no component '" + comp_id + "'"};
  auto out = std::make_unique<Component>();
  out->id = comp_id;
  out->label = cref_id;
  out->doc = doc_;
  out->root = first_element(comp);
  if (!out->root) return Error{doc_->where(comp), "component " + comp_id + " is empty"};
  const Component* p = out.get();
  cache_["cref:" + cref_id] = std::move(out);
  return p;
}

Result<const Component*> Content::resolve(const std::string& href, bool from_dictionary) const {
  if (href.empty()) return Error{path_, "empty check-content-ref href"};
  if (datastream_) {
    const std::string& owner = from_dictionary ? dict_cref_ : xccdf_cref_;
    for (const auto& cr : crefs_) {
      if (cr.id != owner) continue;
      if (auto it = cr.catalog.find(href); it != cr.catalog.end()) {
        if (it->second.empty() || it->second[0] != '#')
          return Error{path_, "catalog maps '" + href + "' outside the datastream"};
        return component_by_ref_id(it->second.substr(1));
      }
    }
    if (href[0] == '#') return component_by_ref_id(href.substr(1));
    return Error{path_, "href '" + href + "' is not in the catalog of component-ref " + owner};
  }
  // Standalone: a file next to the benchmark. Refuse absolute paths and '..' so content
  // cannot read arbitrary files.
  const std::filesystem::path rel(href);
  if (rel.is_absolute() || href.find("..") != std::string::npos ||
      href.find("://") != std::string::npos)
    return Error{path_, "href '" + href + "' is not a relative file name next to the benchmark"};
  const std::string file = (std::filesystem::path(dir_) / rel).string();
  if (auto it = cache_.find("file:" + file); it != cache_.end()) return it->second.get();
  auto d = load_xml_file(file);
  if (!d) return d.error();
  auto out = std::make_unique<Component>();
  out->id = file;
  out->label = href;
  out->doc = *d;
  out->root = (*d)->doc.document_element();
  const Component* p = out.get();
  cache_["file:" + file] = std::move(out);
  return p;
}

}  // namespace vigil::compliance

// OVAL definitions loader (see loader.h). Element names are matched by local name so
// any namespace prefix works; the family namespace is not needed to pick a collector.
#include "compliance/oval/loader.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace vigil::compliance::oval {
namespace {

std::string_view local(const char* name) {
  std::string_view n(name);
  auto c = n.find(':');
  return c == std::string_view::npos ? n : n.substr(c + 1);
}

bool ends_with(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf;
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view name) {
  for (auto c : n.children())
    if (c.type() == pugi::node_element && local(c.name()) == name) return c;
  return {};
}

struct Ctx {
  std::string origin;
  const std::string* buffer = nullptr;  // for line numbers
  std::vector<std::size_t> newlines;
  Document* doc = nullptr;

  int line_of(const pugi::xml_node& n) const {
    if (!buffer) return 0;
    auto off = static_cast<std::size_t>(n.offset_debug());
    if (off > buffer->size()) return 0;
    return static_cast<int>(std::upper_bound(newlines.begin(), newlines.end(), off) -
                            newlines.begin()) +
           1;
  }
  Error err(const pugi::xml_node& n, const std::string& what) const {
    int l = line_of(n);
    return Error{l ? origin + ":" + std::to_string(l) : origin, what};
  }
};

Result<Check> parse_check(const Ctx& c, const pugi::xml_node& n, const char* attr) {
  auto a = n.attribute(attr);
  if (!a) return Check::kAll;
  if (auto v = scanner::check_from(a.value())) return *v;
  return c.err(n, std::string("unknown ") + attr + " '" + a.value() + "'");
}

Result<Operator> parse_operator(const Ctx& c, const pugi::xml_node& n, const char* attr) {
  std::string v = n.attribute(attr).as_string("AND");
  if (v == "AND") return Operator::kAnd;
  if (v == "OR") return Operator::kOr;
  if (v == "ONE") return Operator::kOne;
  if (v == "XOR") return Operator::kXor;
  return c.err(n, std::string("unknown ") + attr + " '" + v + "'");
}

Result<Existence> parse_existence(const Ctx& c, const pugi::xml_node& n) {
  std::string v = n.attribute("check_existence").as_string("at_least_one_exists");
  if (v == "all_exist") return Existence::kAllExist;
  if (v == "any_exist") return Existence::kAnyExist;
  if (v == "at_least_one_exists") return Existence::kAtLeastOneExists;
  if (v == "none_exist") return Existence::kNoneExist;
  if (v == "only_one_exists") return Existence::kOnlyOneExists;
  return c.err(n, "unknown check_existence '" + v + "'");
}

Result<Entity> parse_entity(const Ctx& c, const pugi::xml_node& n) {
  Entity e;
  e.name = std::string(local(n.name()));
  e.line = c.line_of(n);
  if (auto a = n.attribute("datatype")) {
    auto d = scanner::datatype_from(a.value());
    if (!d) return c.err(n, "unknown datatype '" + std::string(a.value()) + "' on " + e.name);
    e.datatype = *d;
  }
  if (auto a = n.attribute("operation")) {
    auto o = scanner::operation_from(a.value());
    if (!o) return c.err(n, "unknown operation '" + std::string(a.value()) + "' on " + e.name);
    e.operation = *o;
  }
  auto vc = parse_check(c, n, "var_check");
  if (!vc) return vc.error();
  e.var_check = *vc;
  auto ec = parse_check(c, n, "entity_check");
  if (!ec) return ec.error();
  e.entity_check = *ec;
  if (n.attribute("check_existence")) {
    auto ex = parse_existence(c, n);
    if (!ex) return ex.error();
    e.check_existence = *ex;
  }
  e.var_ref = n.attribute("var_ref").as_string();
  e.nil = std::string_view(n.attribute("xsi:nil").as_string()) == "true";
  e.value = n.child_value();
  return e;
}

Result<Set> parse_set(const Ctx& c, const pugi::xml_node& n) {
  Set s;
  std::string op = n.attribute("set_operator").as_string("UNION");
  if (op == "UNION")
    s.op = Set::Op::kUnion;
  else if (op == "INTERSECTION")
    s.op = Set::Op::kIntersection;
  else if (op == "COMPLEMENT")
    s.op = Set::Op::kComplement;
  else
    return c.err(n, "unknown set_operator '" + op + "'");
  for (auto ch : n.children()) {
    if (ch.type() != pugi::node_element) continue;
    auto ln = local(ch.name());
    if (ln == "object_reference") {
      s.object_refs.push_back(ch.child_value());
    } else if (ln == "filter") {
      s.filters.push_back({ch.child_value(), std::string_view(ch.attribute("action").as_string(
                                                 "exclude")) == "include"});
    } else if (ln == "set") {
      auto sub = parse_set(c, ch);
      if (!sub) return sub.error();
      s.sets.push_back(std::move(*sub));
    }
  }
  if (s.object_refs.size() + s.sets.size() == 0 || s.object_refs.size() + s.sets.size() > 2)
    return c.err(n, "set must reference one or two objects or sets");
  return s;
}

Result<Object> parse_object(const Ctx& c, const pugi::xml_node& n) {
  Object o;
  o.id = n.attribute("id").as_string();
  o.type = std::string(local(n.name()));
  o.line = c.line_of(n);
  for (auto ch : n.children()) {
    if (ch.type() != pugi::node_element) continue;
    auto ln = local(ch.name());
    if (ln == "notes" || ln == "signature") continue;
    if (ln == "behaviors") {
      for (auto a : ch.attributes()) o.behaviors[a.name()] = a.value();
    } else if (ln == "filter") {
      o.filters.push_back({ch.child_value(), std::string_view(ch.attribute("action").as_string(
                                                 "exclude")) == "include"});
    } else if (ln == "set") {
      auto s = parse_set(c, ch);
      if (!s) return s.error();
      o.set = std::move(*s);
    } else {
      auto e = parse_entity(c, ch);
      if (!e) return e.error();
      o.entities.push_back(std::move(*e));
    }
  }
  return o;
}

Result<State> parse_state(const Ctx& c, const pugi::xml_node& n) {
  State s;
  s.id = n.attribute("id").as_string();
  s.type = std::string(local(n.name()));
  s.line = c.line_of(n);
  auto op = parse_operator(c, n, "operator");
  if (!op) return op.error();
  s.op = *op;
  for (auto ch : n.children()) {
    if (ch.type() != pugi::node_element) continue;
    auto ln = local(ch.name());
    if (ln == "notes" || ln == "signature") continue;
    auto e = parse_entity(c, ch);
    if (!e) return e.error();
    s.entities.push_back(std::move(*e));
  }
  return s;
}

Result<Test> parse_test(const Ctx& c, const pugi::xml_node& n) {
  Test t;
  t.id = n.attribute("id").as_string();
  t.type = std::string(local(n.name()));
  t.comment = n.attribute("comment").as_string();
  t.line = c.line_of(n);
  auto chk = parse_check(c, n, "check");
  if (!chk) return chk.error();
  t.check = *chk;
  auto ex = parse_existence(c, n);
  if (!ex) return ex.error();
  t.existence = *ex;
  auto so = parse_operator(c, n, "state_operator");
  if (!so) return so.error();
  t.state_operator = *so;
  for (auto ch : n.children()) {
    if (ch.type() != pugi::node_element) continue;
    auto ln = local(ch.name());
    if (ln == "object") t.object_ref = ch.attribute("object_ref").as_string();
    if (ln == "state") t.state_refs.push_back(ch.attribute("state_ref").as_string());
  }
  if (t.object_ref.empty() && t.type != "unknown_test")
    return c.err(n, "test " + t.id + " has no object");
  return t;
}

Result<Criteria> parse_criteria(const Ctx& c, const pugi::xml_node& n) {
  Criteria cr;
  auto ln = local(n.name());
  cr.negate = n.attribute("negate").as_bool(false);
  if (ln == "criterion") {
    cr.kind = Criteria::Kind::kCriterion;
    cr.ref = n.attribute("test_ref").as_string();
    return cr;
  }
  if (ln == "extend_definition") {
    cr.kind = Criteria::Kind::kExtend;
    cr.ref = n.attribute("definition_ref").as_string();
    return cr;
  }
  auto op = parse_operator(c, n, "operator");
  if (!op) return op.error();
  cr.op = *op;
  for (auto ch : n.children()) {
    if (ch.type() != pugi::node_element) continue;
    auto cl = local(ch.name());
    if (cl != "criteria" && cl != "criterion" && cl != "extend_definition")
      return c.err(ch, "unexpected <" + std::string(cl) + "> in criteria");
    auto sub = parse_criteria(c, ch);
    if (!sub) return sub.error();
    cr.children.push_back(std::move(*sub));
  }
  return cr;
}

Result<Component> parse_component(const Ctx& c, const pugi::xml_node& n) {
  static const std::set<std::string, std::less<>> kKnown = {"literal_component",
                                                            "object_component",
                                                            "variable_component",
                                                            "arithmetic",
                                                            "begin",
                                                            "concat",
                                                            "end",
                                                            "escape_regex",
                                                            "split",
                                                            "substring",
                                                            "time_difference",
                                                            "regex_capture",
                                                            "unique",
                                                            "count",
                                                            "glob_to_regex"};
  Component comp;
  comp.kind = std::string(local(n.name()));
  if (!kKnown.count(comp.kind)) return c.err(n, "unknown variable function <" + comp.kind + ">");
  for (auto a : n.attributes()) comp.attrs[a.name()] = a.value();
  if (comp.kind == "literal_component") {
    comp.value = n.child_value();
  } else if (comp.kind == "object_component") {
    comp.object_ref = n.attribute("object_ref").as_string();
    comp.item_field = n.attribute("item_field").as_string();
  } else if (comp.kind == "variable_component") {
    comp.var_ref = n.attribute("var_ref").as_string();
  } else {
    for (auto ch : n.children()) {
      if (ch.type() != pugi::node_element) continue;
      auto sub = parse_component(c, ch);
      if (!sub) return sub.error();
      comp.args.push_back(std::move(*sub));
    }
  }
  return comp;
}

Result<Variable> parse_variable(const Ctx& c, const pugi::xml_node& n) {
  Variable v;
  v.id = n.attribute("id").as_string();
  v.line = c.line_of(n);
  auto ln = local(n.name());
  auto d = scanner::datatype_from(n.attribute("datatype").as_string("string"));
  if (!d) return c.err(n, "unknown datatype on variable " + v.id);
  v.datatype = *d;
  if (ln == "constant_variable") {
    v.kind = Variable::Kind::kConstant;
    for (auto ch : n.children())
      if (ch.type() == pugi::node_element && local(ch.name()) == "value")
        v.values.push_back(ch.child_value());
  } else if (ln == "external_variable") {
    v.kind = Variable::Kind::kExternal;
  } else if (ln == "local_variable") {
    v.kind = Variable::Kind::kLocal;
    for (auto ch : n.children()) {
      if (ch.type() != pugi::node_element) continue;
      auto cl = local(ch.name());
      if (cl == "notes" || cl == "signature") continue;
      auto comp = parse_component(c, ch);
      if (!comp) return comp.error();
      v.component = std::move(*comp);
      break;
    }
    if (!v.component) return c.err(n, "local_variable " + v.id + " has no component");
  } else {
    return c.err(n, "unknown variable type <" + std::string(ln) + ">");
  }
  return v;
}

// Iterative depth check: the document tree must not be deeper than kMaxXmlDepth (our
// own walkers recurse over criteria, sets and components).
Status check_depth(const Ctx& c, const pugi::xml_node& root) {
  pugi::xml_node n = root;
  int depth = 0;
  for (;;) {
    if (depth > kMaxXmlDepth)
      return c.err(n, "XML nesting deeper than " + std::to_string(kMaxXmlDepth));
    if (n.first_child()) {
      n = n.first_child();
      ++depth;
      continue;
    }
    while (n != root && !n.next_sibling()) {
      n = n.parent();
      --depth;
    }
    if (n == root) return ok_status();
    n = n.next_sibling();
  }
}

template <typename T, typename F>
Status load_section(Ctx& c, const pugi::xml_node& root, const char* section,
                    std::string_view suffix, std::map<std::string, T>& into, F parse) {
  auto sec = child(root, section);
  if (!sec) return ok_status();
  for (auto n : sec.children()) {
    if (n.type() != pugi::node_element) continue;
    if (!suffix.empty() && !ends_with(local(n.name()), suffix)) continue;
    auto r = parse(c, n);
    if (!r) return r.error();
    std::string id = r->id;
    if (id.empty()) return c.err(n, std::string("element without id in ") + section);
    if (!into.emplace(id, std::move(*r)).second) return c.err(n, "duplicate id " + id);
  }
  return ok_status();
}

Status check_refs(const Ctx& c, const Document& d) {
  auto missing = [&](const std::string& what, const std::string& ref, const std::string& from,
                     int line) {
    return Error{line ? c.origin + ":" + std::to_string(line) : c.origin,
                 "dangling reference: " + from + " refers to unknown " + what + " " + ref};
  };
  std::function<Status(const Criteria&, const Definition&)> crit =
      [&](const Criteria& cr, const Definition& def) -> Status {
    if (cr.kind == Criteria::Kind::kCriterion && !d.tests.count(cr.ref))
      return missing("test", cr.ref, def.id, def.line);
    if (cr.kind == Criteria::Kind::kExtend && !d.definitions.count(cr.ref))
      return missing("definition", cr.ref, def.id, def.line);
    for (const auto& ch : cr.children)
      if (auto s = crit(ch, def); !s) return s;
    return ok_status();
  };
  for (const auto& [id, def] : d.definitions)
    if (def.criteria)
      if (auto s = crit(*def.criteria, def); !s) return s;
  for (const auto& [id, t] : d.tests) {
    if (!t.object_ref.empty() && !d.objects.count(t.object_ref))
      return missing("object", t.object_ref, id, t.line);
    for (const auto& s : t.state_refs)
      if (!d.states.count(s)) return missing("state", s, id, t.line);
  }
  auto ents = [&](const std::vector<Entity>& es, const std::string& from) -> Status {
    for (const auto& e : es)
      if (!e.var_ref.empty() && !d.variables.count(e.var_ref))
        return missing("variable", e.var_ref, from, e.line);
    return ok_status();
  };
  std::function<Status(const Set&, const Object&)> set = [&](const Set& s,
                                                             const Object& o) -> Status {
    for (const auto& r : s.object_refs)
      if (!d.objects.count(r)) return missing("object", r, o.id, o.line);
    for (const auto& f : s.filters)
      if (!d.states.count(f.state_ref)) return missing("state", f.state_ref, o.id, o.line);
    for (const auto& sub : s.sets)
      if (auto st = set(sub, o); !st) return st;
    return ok_status();
  };
  for (const auto& [id, o] : d.objects) {
    if (auto s = ents(o.entities, id); !s) return s;
    for (const auto& f : o.filters)
      if (!d.states.count(f.state_ref)) return missing("state", f.state_ref, id, o.line);
    if (o.set)
      if (auto s = set(*o.set, o); !s) return s;
  }
  for (const auto& [id, s] : d.states)
    if (auto st = ents(s.entities, id); !st) return st;
  std::function<Status(const Component&, const Variable&)> comp = [&](const Component& cp,
                                                                      const Variable& v) -> Status {
    if (cp.kind == "object_component" && !d.objects.count(cp.object_ref))
      return missing("object", cp.object_ref, v.id, v.line);
    if (cp.kind == "variable_component" && !d.variables.count(cp.var_ref))
      return missing("variable", cp.var_ref, v.id, v.line);
    for (const auto& a : cp.args)
      if (auto s = comp(a, v); !s) return s;
    return ok_status();
  };
  for (const auto& [id, v] : d.variables)
    if (v.component)
      if (auto s = comp(*v.component, v); !s) return s;
  return ok_status();
}

Result<std::shared_ptr<const Document>> load_impl(Ctx& c, const pugi::xml_node& root) {
  if (local(root.name()) != "oval_definitions")
    return c.err(root,
                 "not an OVAL definitions document (root <" + std::string(root.name()) + ">)");
  if (auto s = check_depth(c, root); !s) return s.error();
  auto doc = std::make_shared<Document>();
  doc->origin = c.origin;
  c.doc = doc.get();
  auto defs = child(root, "definitions");
  for (auto n : defs.children()) {
    if (n.type() != pugi::node_element || local(n.name()) != "definition") continue;
    Definition d;
    d.id = n.attribute("id").as_string();
    d.klass = n.attribute("class").as_string();
    d.line = c.line_of(n);
    d.title = child(child(n, "metadata"), "title").child_value();
    if (auto cr = child(n, "criteria")) {
      auto parsed = parse_criteria(c, cr);
      if (!parsed) return parsed.error();
      d.criteria = std::move(*parsed);
    }
    if (d.id.empty()) return c.err(n, "definition without id");
    doc->definition_order.push_back(d.id);
    if (!doc->definitions.emplace(d.id, std::move(d)).second)
      return c.err(n, "duplicate definition id");
  }
  if (auto s = load_section(c, root, "tests", "_test", doc->tests, parse_test); !s)
    return s.error();
  if (auto s = load_section(c, root, "objects", "_object", doc->objects, parse_object); !s)
    return s.error();
  if (auto s = load_section(c, root, "states", "_state", doc->states, parse_state); !s)
    return s.error();
  if (auto s = load_section(c, root, "variables", "", doc->variables, parse_variable); !s)
    return s.error();
  if (auto s = check_refs(c, *doc); !s) return s.error();
  return std::shared_ptr<const Document>(doc);
}

// Parses `bytes` in place (pugixml writes into it): one copy of the file in memory, not two.
Result<std::shared_ptr<const Document>> load_mutable(std::string& bytes, const std::string& origin,
                                                     const std::string& component_id) {
  Ctx c;
  c.origin = origin;
  c.buffer = &bytes;
  for (std::size_t i = 0; i < bytes.size(); ++i)
    if (bytes[i] == '\n') c.newlines.push_back(i);
  pugi::xml_document xml;
  // parse_doctype keeps the DOCTYPE node so we can refuse it: OVAL has no DTD, and
  // entity declarations are how billion-laughs / external-entity attacks start.
  auto res = xml.load_buffer_inplace(
      bytes.data(), bytes.size(), pugi::parse_default | pugi::parse_doctype, pugi::encoding_utf8);
  if (!res) {
    auto off = static_cast<std::size_t>(res.offset);
    int line = static_cast<int>(std::upper_bound(c.newlines.begin(), c.newlines.end(), off) -
                                c.newlines.begin()) +
               1;
    return Error{origin + ":" + std::to_string(line), std::string("malformed XML at offset ") +
                                                          std::to_string(res.offset) + ": " +
                                                          res.description()};
  }
  for (auto n : xml.children())
    if (n.type() == pugi::node_doctype)
      return c.err(n, "DOCTYPE / entity declarations are not allowed in OVAL content");
  pugi::xml_node root = xml.document_element();
  if (local(root.name()) == "data-stream-collection") {
    for (auto comp : root.children()) {
      if (comp.type() != pugi::node_element || local(comp.name()) != "component") continue;
      if (!component_id.empty() && component_id != comp.attribute("id").as_string()) continue;
      if (auto od = child(comp, "oval_definitions")) {
        auto r = load_impl(c, od);
        return r;
      }
    }
    return Error{origin, component_id.empty() ? "no OVAL component in datastream"
                                              : "no OVAL component " + component_id};
  }
  return load_impl(c, root);
}

}  // namespace

Result<std::shared_ptr<const Document>> load_buffer(const std::string& bytes,
                                                    const std::string& origin,
                                                    const std::string& component_id) {
  std::string copy = bytes;
  return load_mutable(copy, origin, component_id);
}

Result<std::shared_ptr<const Document>> load_file(const std::string& path,
                                                  const std::string& component_id) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, "cannot open file"};
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size < 0) return Error{path, "cannot read file"};
  in.seekg(0);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!in.read(bytes.data(), size)) return Error{path, "cannot read file"};
  return load_mutable(bytes, path, component_id);
}

Result<std::shared_ptr<const Document>> load_node(const pugi::xml_node& oval_definitions,
                                                  const std::string& origin) {
  Ctx c;
  c.origin = origin;
  return load_impl(c, oval_definitions);
}

}  // namespace vigil::compliance::oval

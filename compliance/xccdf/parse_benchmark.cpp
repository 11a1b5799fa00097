// Benchmark / Group / Rule / Value / Profile parsing (XCCDF 1.1 and 1.2 share element names).
#include <cstdlib>
#include <functional>
#include <set>

#include "compliance/xccdf/parse.h"

namespace vigil::compliance {

namespace {

bool parse_bool(const pugi::xml_attribute& a, bool dflt) {
  if (!a) return dflt;
  std::string_view v = a.value();
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  return dflt;
}

// Weight is xsd:decimal >= 0; anything else is an error naming the item.
Result<double> parse_weight(const pugi::xml_attribute& a, const XmlDoc& doc,
                            const pugi::xml_node& n) {
  if (!a) return 1.0;
  char* end = nullptr;
  const double w = std::strtod(a.value(), &end);
  if (end == a.value() || *end != '\0' || w < 0)
    return Error{doc.where(n),
                 std::string("invalid weight '") + a.value() + "' on " + attr(n, "id").value()};
  return w;
}

void parse_common(const pugi::xml_node& n, const XmlDoc& doc, Item& it) {
  it.id = attr(n, "id").value();
  it.line = doc.line_of(n);
  it.selected = parse_bool(attr(n, "selected"), true);
  it.hidden = parse_bool(attr(n, "hidden"), false);
  it.abstract = parse_bool(attr(n, "abstract"), false);
  it.cluster_id = attr(n, "cluster-id").value();
  it.extends = attr(n, "extends").value();
  for (auto c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto ln = local_name(c);
    if (ln == "title" && it.title.empty()) {
      it.title = text_of(c);
    } else if (ln == "description" && it.description.empty()) {
      it.description = text_of(c);
    } else if (ln == "rationale" && it.rationale.empty()) {
      it.rationale = text_of(c);
    } else if (ln == "warning") {
      it.warnings.push_back(text_of(c));
    } else if (ln == "platform") {
      it.platforms.push_back(attr(c, "idref").value());
    } else if (ln == "requires") {
      std::vector<std::string> alts;
      std::string_view v = attr(c, "idref").value();
      while (!v.empty()) {
        auto sp = v.find(' ');
        auto tok = v.substr(0, sp);
        if (!tok.empty()) alts.emplace_back(tok);
        if (sp == std::string_view::npos) break;
        v.remove_prefix(sp + 1);
      }
      if (!alts.empty()) it.requires_.push_back(std::move(alts));
    } else if (ln == "conflicts") {
      it.conflicts.emplace_back(attr(c, "idref").value());
    } else if (ln == "reference") {
      it.references.push_back({attr(c, "href").value(), text_of(c)});
    }
  }
}

Result<Check> parse_check(const pugi::xml_node& n, const XmlDoc& doc, int depth) {
  Check ck;
  ck.line = doc.line_of(n);
  if (depth > 32) return Error{doc.where(n), "complex-check nested deeper than 32 levels"};
  if (local_name(n) == "complex-check") {
    ck.complex = true;
    ck.op = attr(n, "operator").value();
    if (ck.op.empty()) ck.op = "AND";
    if (ck.op != "AND" && ck.op != "OR")
      return Error{doc.where(n), "unknown complex-check operator '" + ck.op + "'"};
    ck.negate = parse_bool(attr(n, "negate"), false);
    for (auto c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const auto ln = local_name(c);
      if (ln != "check" && ln != "complex-check") continue;
      auto sub = parse_check(c, doc, depth + 1);
      if (!sub) return sub.error();
      ck.children.push_back(std::move(*sub));
    }
    return ck;
  }
  ck.system = attr(n, "system").value();
  ck.selector = attr(n, "selector").value();
  ck.multi_check = parse_bool(attr(n, "multi-check"), false);
  ck.negate = parse_bool(attr(n, "negate"), false);
  for (auto c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto ln = local_name(c);
    if (ln == "check-export") {
      ck.exports.push_back({attr(c, "value-id").value(), attr(c, "export-name").value()});
    } else if (ln == "check-content-ref") {
      ck.refs.push_back({attr(c, "href").value(), attr(c, "name").value()});
    } else if (ln == "check-content") {
      for (auto cc = c.first_child(); cc; cc = cc.next_sibling())
        if (cc.type() == pugi::node_element) ck.inline_content_xml += outer_xml(cc);
    }
  }
  return ck;
}

struct Parser {
  const XmlDoc& doc;
  Benchmark& b;
  std::set<std::string> seen;

  Status dup(const pugi::xml_node& n, const std::string& id) {
    if (id.empty()) return Error{doc.where(n), std::string(local_name(n)) + " without id"};
    if (!seen.insert(id).second) return Error{doc.where(n), "duplicate id '" + id + "'"};
    return ok_status();
  }

  Status value(const pugi::xml_node& n, const std::string& parent) {
    Value v;
    v.kind = ItemKind::kValue;
    parse_common(n, doc, v);
    if (auto s = dup(n, v.id); !s) return s;
    v.parent = parent;
    if (auto t = attr(n, "type")) v.type = t.value();
    if (auto o = attr(n, "operator")) v.op = o.value();
    for (auto c : children(n, "value")) v.values[attr(c, "selector").value()] = c.child_value();
    if (v.values.empty())
      if (auto d = child(n, "default")) v.values[""] = d.child_value();
    // complex-default only fills the default when no complex-value without selector did.
    for (bool is_default : {false, true})
      for (auto c : children(n, is_default ? "complex-default" : "complex-value")) {
        const std::string sel = is_default ? "" : attr(c, "selector").value();
        if (is_default && v.complex_values.count(sel)) continue;
        auto& items = v.complex_values[sel];
        items.clear();
        for (auto i : children(c, "item")) items.push_back(i.child_value());
      }
    b.value_items[v.id] = std::move(v);
    return ok_status();
  }

  Status rule(const pugi::xml_node& n, const std::string& parent) {
    Rule r;
    r.kind = ItemKind::kRule;
    parse_common(n, doc, r);
    if (auto s = dup(n, r.id); !s) return s;
    r.parent = parent;
    auto w = parse_weight(attr(n, "weight"), doc, n);
    if (!w) return w.error();
    r.weight = *w;
    if (auto s = attr(n, "severity")) {
      auto sev = normalize_severity(s.value());
      if (!sev)
        return Error{doc.where(n), "rule " + r.id + ": unknown severity '" + s.value() + "'"};
      r.severity = *sev;
    }
    if (auto ro = attr(n, "role")) {
      auto role = parse_role(ro.value());
      if (!role) return Error{doc.where(n), "rule " + r.id + ": unknown role '" + ro.value() + "'"};
      r.role = *role;
    }
    r.multiple = parse_bool(attr(n, "multiple"), false);
    for (auto c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const auto ln = local_name(c);
      if (ln == "ident") {
        r.idents.push_back({attr(c, "system").value(), text_of(c)});
      } else if (ln == "check") {
        auto ck = parse_check(c, doc, 0);
        if (!ck) return ck.error();
        r.checks.push_back(std::move(*ck));
      } else if (ln == "complex-check") {
        auto ck = parse_check(c, doc, 0);
        if (!ck) return ck.error();
        r.complex_check = std::move(*ck);
      } else if (ln == "fixtext") {
        r.fixtexts.push_back({text_of(c), attr(c, "fixref").value()});
      } else if (ln == "fix") {
        Fix f{attr(c, "id").value(),         attr(c, "system").value(),
              attr(c, "strategy").value(),   attr(c, "complexity").value(),
              attr(c, "disruption").value(), attr(c, "reboot").value(),
              attr(c, "platform").value(),   text_of(c)};
        r.fixes.push_back(std::move(f));
      }
    }
    b.rule_order.push_back(r.id);
    b.rules[r.id] = std::move(r);
    return ok_status();
  }

  Status group(const pugi::xml_node& n, const std::string& parent, int depth) {
    if (depth > 64) return Error{doc.where(n), "groups nested deeper than 64 levels"};
    Group g;
    g.kind = ItemKind::kGroup;
    parse_common(n, doc, g);
    if (auto s = dup(n, g.id); !s) return s;
    g.parent = parent;
    auto w = parse_weight(attr(n, "weight"), doc, n);
    if (!w) return w.error();
    g.weight = *w;
    const std::string id = g.id;
    b.groups[id] = g;
    if (auto s = content(n, id, depth, b.groups[id].children, b.groups[id].values); !s) return s;
    return ok_status();
  }

  Status content(const pugi::xml_node& n, const std::string& parent, int depth,
                 std::vector<std::string>& items, std::vector<std::string>& values) {
    for (auto c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const auto ln = local_name(c);
      if (ln == "Value") {
        if (auto s = value(c, parent); !s) return s;
        values.emplace_back(attr(c, "id").value());
      } else if (ln == "Rule") {
        if (auto s = rule(c, parent); !s) return s;
        items.emplace_back(attr(c, "id").value());
      } else if (ln == "Group") {
        // std::map references stay valid while groups are inserted, so `items` (which may
        // live in b.groups) can be appended to after the recursion.
        if (auto s = group(c, parent, depth + 1); !s) return s;
        items.emplace_back(attr(c, "id").value());
      }
    }
    return ok_status();
  }
};

}  // namespace

LogicalTest parse_logical_test(const pugi::xml_node& node) {
  LogicalTest t;
  t.op = attr(node, "operator").value();
  if (t.op.empty()) t.op = "AND";
  t.negate = parse_bool(attr(node, "negate"), false);
  for (auto c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (local_name(c) == "fact-ref") t.fact_refs.emplace_back(attr(c, "name").value());
    if (local_name(c) == "logical-test") t.children.push_back(parse_logical_test(c));
  }
  return t;
}

Result<Profile> parse_profile(const pugi::xml_node& n, const XmlDoc& doc) {
  Profile p;
  p.id = attr(n, "id").value();
  p.line = doc.line_of(n);
  if (p.id.empty()) return Error{doc.where(n), "Profile without id"};
  p.extends = attr(n, "extends").value();
  p.abstract = parse_bool(attr(n, "abstract"), false);
  for (auto c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto ln = local_name(c);
    const std::string idref = attr(c, "idref").value();
    if (ln == "title" && p.title.empty()) {
      p.title = text_of(c);
    } else if (ln == "description" && p.description.empty()) {
      p.description = text_of(c);
    } else if (ln == "select") {
      p.selects.emplace_back(idref, parse_bool(attr(c, "selected"), true));
    } else if (ln == "set-value") {
      p.set_values.emplace_back(idref, c.child_value());
    } else if (ln == "set-complex-value") {
      std::vector<std::string> items;
      for (auto i : children(c, "item")) items.emplace_back(i.child_value());
      p.set_complex_values.emplace_back(idref, std::move(items));
    } else if (ln == "refine-value") {
      p.refine_values.push_back({idref, attr(c, "selector").value(), attr(c, "operator").value()});
    } else if (ln == "refine-rule") {
      RefineRule rr{idref, attr(c, "selector").value(), attr(c, "severity").value(),
                    attr(c, "role").value(), std::nullopt};
      if (auto w = attr(c, "weight")) {
        auto pw = parse_weight(w, doc, c);
        if (!pw) return Error{doc.where(c), "refine-rule " + idref + ": invalid weight"};
        rr.weight = *pw;
      }
      if (!rr.severity.empty() && !normalize_severity(rr.severity))
        return Error{doc.where(c),
                     "refine-rule " + idref + ": unknown severity '" + rr.severity + "'"};
      if (!rr.role.empty() && !parse_role(rr.role))
        return Error{doc.where(c), "refine-rule " + idref + ": unknown role '" + rr.role + "'"};
      p.refine_rules.push_back(std::move(rr));
    }
  }
  return p;
}

Result<Benchmark> parse_benchmark(const pugi::xml_node& bn, const XmlDoc& doc) {
  Benchmark b;
  b.id = attr(bn, "id").value();
  b.xccdf_ns = namespace_of(bn);
  if (b.xccdf_ns != kXccdf12Ns && b.xccdf_ns != kXccdf11Ns)
    return Error{doc.where(bn), "not an XCCDF 1.1/1.2 Benchmark (namespace '" + b.xccdf_ns + "')"};
  if (b.id.empty()) return Error{doc.where(bn), "Benchmark without id"};
  b.status = text_of(child(bn, "status"));
  b.version = text_of(child(bn, "version"));
  b.title = text_of(child(bn, "title"));
  b.description = text_of(child(bn, "description"));
  Parser p{doc, b, {}};
  for (auto c = bn.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto ln = local_name(c);
    if (ln == "platform") {
      b.platforms.emplace_back(attr(c, "idref").value());
    } else if (ln == "model") {
      b.models.emplace_back(attr(c, "system").value());
    } else if (ln == "platform-specification") {
      for (auto pl : children(c, "platform")) {
        CpePlatform cp;
        cp.id = attr(pl, "id").value();
        cp.title = text_of(child(pl, "title"));
        if (auto lt = child(pl, "logical-test")) cp.test = parse_logical_test(lt);
        b.cpe_platforms[cp.id] = std::move(cp);
      }
    } else if (ln == "Profile") {
      auto pr = parse_profile(c, doc);
      if (!pr) return pr.error();
      if (b.profile(pr->id)) return Error{doc.where(c), "duplicate profile id '" + pr->id + "'"};
      b.profiles.push_back(std::move(*pr));
    }
  }
  std::vector<std::string> values;
  if (auto s = p.content(bn, "", 0, b.top, values); !s) return s.error();
  b.values = std::move(values);
  return b;
}

}  // namespace vigil::compliance

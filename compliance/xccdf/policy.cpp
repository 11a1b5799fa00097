// Profile resolution: `extends` chains (base first), select / set-value / refine-value /
// refine-rule applied in document order, idrefs naming an item or a cluster-id.
#include "compliance/xccdf/policy.h"

#include <algorithm>

namespace vigil::compliance {

namespace {

const Profile* find_profile(const std::vector<Profile>& ps, std::string_view id) {
  for (const auto& p : ps)
    if (p.id == id) return &p;
  // Short name: "cis_level1_server" for "xccdf_org.ssgproject.content_profile_cis_level1_server".
  const Profile* hit = nullptr;
  for (const auto& p : ps) {
    const std::string suffix = "_profile_" + std::string(id);
    if (p.id.size() > suffix.size() && p.id.ends_with(suffix)) {
      if (hit) return nullptr;  // ambiguous
      hit = &p;
    }
  }
  return hit;
}

// The profile `pr` extends: a tailoring profile may extend one of the tailoring's or the
// benchmark's profiles.
const Profile* find_base(const Profile& pr, const Benchmark& b, const Tailoring* t) {
  if (t)
    for (const auto& x : t->profiles)
      if (x.id == pr.extends && &x != &pr) return &x;
  for (const auto& x : b.profiles)
    if (x.id == pr.extends) return &x;
  return nullptr;
}

// Refuses an `extends` cycle, naming every profile on it ("a -> b -> a").
Status check_extends_chain(const Profile& start, const Benchmark& b, const Tailoring* t) {
  std::vector<const Profile*> chain = {&start};
  for (const Profile* p = &start; !p->extends.empty();) {
    p = find_base(*p, b, t);
    if (!p) break;  // reported by apply() with the unknown id
    const auto seen = std::find(chain.begin(), chain.end(), p) - chain.begin();
    chain.push_back(p);
    if (seen + 1 != static_cast<std::ptrdiff_t>(chain.size())) {
      std::string ids;
      for (auto it = chain.begin() + seen; it != chain.end(); ++it)
        ids += (ids.empty() ? "" : " -> ") + (*it)->id;
      return Error{"profile " + start.id, "extends cycle: " + ids};
    }
  }
  return ok_status();
}

}  // namespace

Result<Policy> Policy::make(const Benchmark& b, std::string_view profile_id, const Tailoring* t) {
  Policy p;
  p.bench_ = &b;
  for (const auto& [id, r] : b.rules) {
    p.selected_[id] = r.selected;
    if (!r.cluster_id.empty()) p.clusters_.emplace(r.cluster_id, id);
  }
  for (const auto& [id, g] : b.groups) {
    p.selected_[id] = g.selected;
    if (!g.cluster_id.empty()) p.clusters_.emplace(g.cluster_id, id);
  }
  if (profile_id.empty()) return p;
  const Profile* prof = t ? find_profile(t->profiles, profile_id) : nullptr;
  if (prof) p.from_tailoring_ = true;
  if (!prof) prof = find_profile(b.profiles, profile_id);
  if (!prof) {
    std::string avail;
    for (const auto& x : b.profiles) avail += (avail.empty() ? "" : ", ") + x.id;
    if (t)
      for (const auto& x : t->profiles) avail += (avail.empty() ? "" : ", ") + x.id;
    return Error{"--profile",
                 "no profile '" + std::string(profile_id) + "' in benchmark " + b.id +
                     (avail.empty() ? " (it has none)" : " (available: " + avail + ")")};
  }
  if (prof->abstract)
    return Error{"--profile", "profile " + prof->id + " is abstract and cannot be evaluated"};
  p.profile_id_ = prof->id;
  p.profile_title_ = prof->title;
  if (auto s = check_extends_chain(*prof, b, t); !s) return s.error();
  if (auto s = p.apply(*prof, t, 0); !s) return s.error();
  return p;
}

std::string join_value_items(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& x : items) out += (out.empty() ? "" : ", ") + x;
  return out;
}

Status Policy::apply(const Profile& pr, const Tailoring* t, int depth) {
  if (depth > 32) return Error{"profile " + pr.id, "extends chain longer than 32 (cycle?)"};
  if (!pr.extends.empty()) {
    const Profile* base = find_base(pr, *bench_, t);
    if (!base) return Error{"profile " + pr.id, "extends unknown profile '" + pr.extends + "'"};
    if (auto s = apply(*base, t, depth + 1); !s) return s;
  }
  auto targets = [&](const std::string& idref) {
    std::vector<std::string> ids;
    if (bench_->rules.count(idref) || bench_->groups.count(idref)) ids.push_back(idref);
    auto [lo, hi] = clusters_.equal_range(idref);
    for (auto it = lo; it != hi; ++it) ids.push_back(it->second);
    return ids;
  };
  for (const auto& [idref, sel] : pr.selects) {
    auto ids = targets(idref);
    if (ids.empty()) warnings_.push_back("profile " + pr.id + ": select of unknown item " + idref);
    for (const auto& id : ids) selected_[id] = sel;
  }
  for (const auto& [idref, v] : pr.set_values) {
    if (!bench_->value_items.count(idref))
      warnings_.push_back("profile " + pr.id + ": set-value of unknown Value " + idref);
    set_values_[idref] = v;
    set_complex_.erase(idref);
    value_selectors_.erase(idref);
  }
  // Within one profile that names a Value more than once (rare), refine-value wins over
  // set-complex-value, which wins over set-value; a derived profile overrides its base.
  for (const auto& [idref, items] : pr.set_complex_values) {
    if (!bench_->value_items.count(idref))
      warnings_.push_back("profile " + pr.id + ": set-complex-value of unknown Value " + idref);
    set_complex_[idref] = items;
    set_values_.erase(idref);
    value_selectors_.erase(idref);
  }
  for (const auto& rv : pr.refine_values) {
    if (!bench_->value_items.count(rv.idref)) {
      warnings_.push_back("profile " + pr.id + ": refine-value of unknown Value " + rv.idref);
      continue;
    }
    value_selectors_[rv.idref] = rv.selector;
    set_values_.erase(rv.idref);
    set_complex_.erase(rv.idref);
  }
  for (const auto& rr : pr.refine_rules) {
    auto ids = targets(rr.idref);
    if (ids.empty())
      warnings_.push_back("profile " + pr.id + ": refine-rule of unknown item " + rr.idref);
    for (const auto& id : ids) {
      auto& m = refines_[id];
      m.idref = id;
      if (!rr.selector.empty()) m.selector = rr.selector;
      if (!rr.severity.empty()) m.severity = rr.severity;
      if (!rr.role.empty()) m.role = rr.role;
      if (rr.weight) m.weight = rr.weight;
    }
  }
  return ok_status();
}

bool Policy::item_selected(const Item& it) const {
  auto s = selected_.find(it.id);
  return s == selected_.end() ? it.selected : s->second;
}

bool Policy::rule_selected(const Rule& r, std::string* why) const {
  if (!item_selected(r)) return false;
  for (std::string g = r.parent; !g.empty();) {
    auto it = bench_->groups.find(g);
    if (it == bench_->groups.end()) break;
    if (!item_selected(it->second)) {
      if (why) *why = "enclosing group " + g + " not selected";
      return false;
    }
    g = it->second.parent;
  }
  auto selected_id = [&](const std::string& id) {
    const Item* it = bench_->item(id);
    return it && item_selected(*it);
  };
  for (const auto& alts : r.requires_) {
    if (std::none_of(alts.begin(), alts.end(), selected_id)) {
      if (why) *why = "requires " + alts.front() + " which is not selected";
      return false;
    }
  }
  for (const auto& c : r.conflicts) {
    if (selected_id(c)) {
      if (why) *why = "conflicts with selected " + c;
      return false;
    }
  }
  return true;
}

std::optional<std::string> Policy::value(const std::string& id) const {
  auto vi = bench_->value_items.find(id);
  if (vi == bench_->value_items.end()) return std::nullopt;
  if (auto s = set_values_.find(id); s != set_values_.end()) return s->second;
  if (auto c = set_complex_.find(id); c != set_complex_.end()) return join_value_items(c->second);
  const auto& vals = vi->second.values;
  if (auto sel = value_selectors_.find(id); sel != value_selectors_.end())
    if (auto v = vals.find(sel->second); v != vals.end()) return v->second;
  if (auto v = vals.find(""); v != vals.end()) return v->second;
  if (!vals.empty()) return vals.begin()->second;
  return std::string();
}

std::optional<std::vector<std::string>> Policy::value_list(const std::string& id) const {
  auto vi = bench_->value_items.find(id);
  if (vi == bench_->value_items.end()) return std::nullopt;
  if (auto c = set_complex_.find(id); c != set_complex_.end()) return c->second;
  const auto& complex = vi->second.complex_values;
  if (!complex.empty() && !set_values_.count(id)) {
    auto sel = value_selectors_.find(id);
    const std::string s = sel == value_selectors_.end() ? "" : sel->second;
    if (auto c = complex.find(s); c != complex.end()) return c->second;
    // A selector naming a plain <value> of this Value falls through to value().
    if (!vi->second.values.count(s) || vi->second.values.empty())
      if (auto c = complex.find(""); c != complex.end()) return c->second;
  }
  return std::vector<std::string>{*value(id)};
}

double Policy::weight(const Item& it) const {
  if (auto r = refines_.find(it.id); r != refines_.end() && r->second.weight)
    return *r->second.weight;
  return it.weight;
}

std::string Policy::severity(const Rule& r) const {
  if (auto x = refines_.find(r.id); x != refines_.end() && !x->second.severity.empty())
    return x->second.severity;
  return r.severity;
}

Role Policy::role(const Rule& r) const {
  if (auto x = refines_.find(r.id); x != refines_.end() && !x->second.role.empty())
    if (auto role = parse_role(x->second.role)) return *role;
  return r.role;
}

std::string Policy::check_selector(const Rule& r) const {
  if (auto x = refines_.find(r.id); x != refines_.end()) return x->second.selector;
  return {};
}

std::map<std::string, std::string> Policy::changed_values() const {
  std::map<std::string, std::string> out;
  for (const auto& [id, v] : set_values_) out[id] = v;
  for (const auto& [id, items] : set_complex_) out[id] = join_value_items(items);
  for (const auto& [id, sel] : value_selectors_)
    if (auto v = value(id)) out[id] = *v;
  return out;
}

}  // namespace vigil::compliance

// The OVAL evaluator: definitions -> criteria -> tests -> objects/states/variables,
// following OpenSCAP 1.3's result tables (oval_resultTest.c) so verdicts agree with
// `oscap oval eval`. Every object is collected once per Engine and cached.
#include "compliance/oval/engine.h"

#include <set>

#include "compliance/oval/functions.h"
#include "scanner/collectors/registry.h"

namespace vigil::compliance::oval {

using scanner::Collection;
using scanner::Counts;
using scanner::Flag;
using scanner::Item;
using scanner::Status;
using scanner::Tri;

namespace {

constexpr int kMaxRecursion = 200;

bool usable(Flag f) {
  return f == Flag::kComplete || f == Flag::kIncomplete;
}

std::string item_key(const Item& it) {
  std::string k = it.type;
  for (const auto& f : it.fields) {
    k += '\x1f';
    k += f.name;
    k += '=';
    k += f.value;
  }
  return k;
}

Tri existence_result(Existence ex, int exists, int errors) {
  switch (ex) {
    case Existence::kAllExist:
      if (exists >= 1 && errors == 0) return Tri::kTrue;
      if (exists == 0 && errors == 0) return Tri::kFalse;
      return Tri::kError;
    case Existence::kAnyExist:
      if (errors == 0 || exists >= 1) return Tri::kTrue;
      return Tri::kError;
    case Existence::kAtLeastOneExists:
      if (exists >= 1) return Tri::kTrue;
      if (errors == 0) return Tri::kFalse;
      return Tri::kError;
    case Existence::kNoneExist:
      if (exists == 0 && errors == 0) return Tri::kTrue;
      if (exists >= 1 && errors == 0) return Tri::kFalse;
      return Tri::kError;
    case Existence::kOnlyOneExists:
      if (exists == 1 && errors == 0) return Tri::kTrue;
      if (exists >= 2) return Tri::kFalse;
      if (exists == 0 && errors == 0) return Tri::kFalse;
      return Tri::kError;
  }
  return Tri::kError;
}

}  // namespace

struct Engine::Impl {
  const Document& doc;
  CollectionSource& src;
  ExternalValues ext;

  std::map<std::string, Collection> objects;
  std::map<std::string, Values> vars;
  std::map<std::string, Tri> defs;
  std::map<std::string, TestEvidence> tests;
  std::set<std::string> busy;  // recursion guards (definitions, variables, objects)
  Values scratch;              // see variable_ref()
  std::size_t evidence_limit = static_cast<std::size_t>(-1);
  int depth = 0;

  Impl(const Document& d, CollectionSource& s, ExternalValues e)
      : doc(d), src(s), ext(std::move(e)) {}

  // ---- variables -----------------------------------------------------------
  Values variable(const std::string& id) {
    if (auto it = vars.find(id); it != vars.end()) return it->second;
    Values v;
    auto vit = doc.variables.find(id);
    if (vit == doc.variables.end()) {
      v.flag = Flag::kError;
      v.message = "unknown variable " + id;
      return v;
    }
    if (!busy.insert("var:" + id).second || depth > kMaxRecursion) {
      v.flag = Flag::kError;
      v.message = "variable " + id + " refers to itself";
      return v;
    }
    ++depth;
    const Variable& var = vit->second;
    switch (var.kind) {
      case Variable::Kind::kConstant:
        v.values = var.values;
        break;
      case Variable::Kind::kExternal:
        if (auto e = ext.find(id); e != ext.end()) {
          v.values = e->second;
        } else {
          // As OpenSCAP: an unset external variable makes dependent objects "not collected".
          v.flag = Flag::kNotCollected;
          v.message = "external variable " + id + " has no value";
        }
        break;
      case Variable::Kind::kLocal:
        v = component(*var.component, var.datatype);
        if (v.flag == Flag::kComplete && v.values.empty()) v.flag = Flag::kDoesNotExist;
        break;
    }
    --depth;
    busy.erase("var:" + id);
    vars[id] = v;
    return v;
  }

  // variable() without a copy, for per-item comparisons (a cached result is returned by
  // reference; an uncacheable one, e.g. a recursion error, through scratch).
  const Values& variable_ref(const std::string& id) {
    if (auto it = vars.find(id); it != vars.end()) return it->second;
    scratch = variable(id);
    if (auto it = vars.find(id); it != vars.end()) return it->second;
    return scratch;
  }

  Values component(const Component& c, Datatype dt) {
    Values v;
    if (c.kind == "literal_component") {
      v.values = {c.value};
      return v;
    }
    if (c.kind == "variable_component") return variable(c.var_ref);
    if (c.kind == "object_component") {
      const Collection& col = object(c.object_ref);
      v.flag = col.flag;
      if (!col.messages.empty()) v.message = col.messages.front();
      for (const auto& it : col.items) {
        if (it.status != Status::kExists) continue;
        for (const auto& f : it.fields)
          if (f.name == c.item_field && f.status == Status::kExists) v.values.push_back(f.value);
      }
      if (v.flag == Flag::kComplete && v.values.empty()) v.flag = Flag::kDoesNotExist;
      return v;
    }
    std::vector<Values> args;
    for (const auto& a : c.args) args.push_back(component(a, dt));
    return apply_function(c, dt, args);
  }

  // ---- objects -------------------------------------------------------------
  const Collection& object(const std::string& id) {
    if (auto it = objects.find(id); it != objects.end()) return it->second;
    Collection c;
    if (!busy.insert("obj:" + id).second || depth > kMaxRecursion) {
      c = Collection::with_flag(Flag::kError, "object " + id + " refers to itself");
    } else {
      ++depth;
      const Object& o = doc.objects.at(id);
      c = o.set ? set_result(*o.set) : simple_object(o);
      if (!o.set) apply_filters(o.filters, c);
      --depth;
      busy.erase("obj:" + id);
    }
    return objects[id] = std::move(c);
  }

  Collection simple_object(const Object& o) {
    if (o.type == "variable_object") return variable_object(o);
    scanner::ObjectQuery q;
    q.type = o.type;
    q.behaviors = o.behaviors;
    for (const auto& e : o.entities) {
      scanner::ObjectEntity oe;
      oe.name = e.name;
      oe.datatype = e.datatype;
      oe.operation = e.operation;
      oe.var_check = e.var_check;
      oe.nil = e.nil;
      if (!e.var_ref.empty()) {
        Values v = variable(e.var_ref);
        if (!usable(v.flag)) {
          // OpenSCAP: "There was a problem processing referenced variable" -> the object
          // does not exist, whatever the variable's own flag.
          return Collection::with_flag(
              Flag::kDoesNotExist,
              v.message.empty() ? "variable " + e.var_ref + " has no value" : v.message);
        }
        oe.values = v.values;
      } else {
        oe.values = {e.value};
      }
      q.entities.push_back(std::move(oe));
    }
    if (!scanner::find_collector(o.type))
      return Collection::with_flag(Flag::kNotCollected, "unsupported object type " + o.type);
    if (!o.filters.empty()) {
      // Filters run inside big collections (a walk of / yields thousands of file items,
      // most of them filtered out). Their states' variables are resolved first, so keep()
      // never re-enters collection from inside a collector.
      for (const auto& f : o.filters)
        for (const auto& se : doc.states.at(f.state_ref).entities)
          if (!se.var_ref.empty()) variable(se.var_ref);
      q.keep = [this, &o](const Item& it) { return passes_filters(o.filters, it); };
    }
    return src.collect(o.id, q);
  }

  // variable_object items come from the document. As OpenSCAP: one item per variable
  // holding every value; a variable without values (unset external) still gives an item
  // with only var_ref; one that "does not exist" (computed from nothing) gives no item.
  Collection variable_object(const Object& o) {
    Collection c;
    for (const auto& e : o.entities) {
      if (e.name != "var_ref") continue;
      const std::string& var_id = e.var_ref.empty() ? e.value : e.var_ref;
      if (!doc.variables.count(var_id))
        return Collection::with_flag(Flag::kError,
                                     "variable_object refers to unknown variable " + var_id);
      Values v = variable(var_id);
      if (v.flag == Flag::kDoesNotExist)
        return Collection::with_flag(Flag::kDoesNotExist,
                                     "referenced variable has no values (" + var_id + ")");
      Item it;
      it.type = "variable_item";
      it.add("var_ref", var_id);
      if (usable(v.flag))
        for (const auto& val : v.values) it.add("value", val);
      else if (!v.message.empty())
        c.messages.push_back(v.message);
      c.items.push_back(std::move(it));
    }
    if (c.items.empty())
      return Collection::with_flag(Flag::kError, "variable_object without var_ref");
    return c;
  }

  bool passes_filters(const std::vector<Filter>& filters, const Item& it) {
    for (const auto& f : filters) {
      bool match = it.status == Status::kExists &&
                   item_vs_state(it, doc.states.at(f.state_ref)) == Tri::kTrue;
      if (match != f.include) return false;
    }
    return true;
  }

  void apply_filters(const std::vector<Filter>& filters, Collection& c) {
    if (filters.empty() || !usable(c.flag)) return;
    for (const auto& f : filters) {
      const State& st = doc.states.at(f.state_ref);
      std::vector<Item> kept;
      for (auto& it : c.items) {
        bool match = it.status == Status::kExists && item_vs_state(it, st) == Tri::kTrue;
        if (match == f.include) kept.push_back(std::move(it));
      }
      c.items = std::move(kept);
    }
    if (c.items.empty() && c.flag == Flag::kComplete) c.flag = Flag::kDoesNotExist;
  }

  Collection set_result(const Set& s) {
    std::vector<Collection> ops;
    for (const auto& r : s.object_refs) {
      Collection c = object(r);
      apply_filters(s.filters, c);
      ops.push_back(std::move(c));
    }
    for (const auto& sub : s.sets) {
      Collection c = set_result(sub);
      ops.push_back(std::move(c));
    }
    Collection out;
    Flag worst = Flag::kComplete;
    for (const auto& o : ops)
      if (o.flag == Flag::kError || o.flag == Flag::kNotCollected || o.flag == Flag::kIncomplete)
        worst = combine_flags(worst, o.flag);
    for (const auto& o : ops)
      out.messages.insert(out.messages.end(), o.messages.begin(), o.messages.end());
    std::set<std::string> seen;
    auto add_unique = [&](const Item& it) {
      if (seen.insert(item_key(it)).second) out.items.push_back(it);
    };
    if (s.op == Set::Op::kUnion || ops.size() == 1) {
      for (const auto& o : ops)
        for (const auto& it : o.items) add_unique(it);
    } else {
      std::set<std::string> second;
      for (const auto& it : ops[1].items) second.insert(item_key(it));
      bool want = s.op == Set::Op::kIntersection;
      for (const auto& it : ops[0].items)
        if ((second.count(item_key(it)) > 0) == want) add_unique(it);
    }
    out.flag = worst;
    if (worst == Flag::kComplete && out.items.empty()) out.flag = Flag::kDoesNotExist;
    return out;
  }

  // ---- states --------------------------------------------------------------
  Tri item_vs_state(const Item& item, const State& st) {
    Counts ste;
    for (const auto& se : st.entities) {
      Counts ent;
      for (const auto& f : item.fields) {
        if (f.name != se.name) continue;
        if (f.status == Status::kDoesNotExist) {
          ent.add(Tri::kFalse);
        } else if (!se.var_ref.empty()) {
          const Values& v = variable_ref(se.var_ref);
          if (!usable(v.flag)) {
            ent.add(Tri::kError);
            continue;
          }
          Datatype dt = doc.variables.at(se.var_ref).datatype;
          Counts vc;
          for (const auto& val : v.values) vc.add(scanner::compare(dt, se.operation, val, f.value));
          ent.add(scanner::by_check(vc, se.var_check));
        } else {
          ent.add(scanner::compare(se.datatype, se.operation, se.value, f.value));
        }
      }
      ste.add(scanner::by_check(ent, se.entity_check));
    }
    return scanner::by_operator(ste, st.op);
  }

  // ---- tests ---------------------------------------------------------------
  const TestEvidence& test(const std::string& id) {
    if (auto it = tests.find(id); it != tests.end()) return it->second;
    const Test& t = doc.tests.at(id);
    TestEvidence ev;
    ev.test_id = id;
    ev.test_type = t.type;
    ev.comment = t.comment;
    ev.object_id = t.object_ref;
    if (t.object_ref.empty()) {
      ev.result = Tri::kUnknown;
      ev.messages.push_back("test without object");
      return tests[id] = std::move(ev);
    }
    const Object& o = doc.objects.at(t.object_ref);
    const Collection& col = object(t.object_ref);
    ev.flag = scanner::to_string(col.flag);
    ev.messages = col.messages;
    if (!o.set && o.type != "variable_object" && !scanner::find_collector(o.type)) {
      ev.result = Tri::kNotEvaluated;  // never a guess for what we cannot collect
      return tests[id] = std::move(ev);
    }
    int exists = 0, errors = 0;
    for (const auto& it : col.items) {
      if (it.status == Status::kExists) ++exists;
      if (it.status == Status::kError) ++errors;
    }
    bool hasstate = !t.state_refs.empty();
    bool any = t.existence == Existence::kAnyExist;
    std::vector<Tri> item_results(col.items.size(), Tri::kNotEvaluated);
    Tri r = Tri::kError;
    auto check_state = [&]() {
      Counts items;
      for (std::size_t i = 0; i < col.items.size(); ++i) {
        const Item& it = col.items[i];
        Tri ir;
        if (it.status == Status::kError || it.status == Status::kNotCollected) {
          ir = Tri::kError;
        } else if (it.status == Status::kDoesNotExist) {
          ir = Tri::kFalse;
        } else {
          Counts sc;
          for (const auto& sref : t.state_refs) sc.add(item_vs_state(it, doc.states.at(sref)));
          ir = scanner::by_operator(sc, t.state_operator);
        }
        item_results[i] = ir;
        items.add(ir);
      }
      return scanner::by_check(items, t.check);
    };
    switch (col.flag) {
      case Flag::kError:
        r = (any && !hasstate) ? Tri::kTrue : Tri::kError;
        break;
      case Flag::kNotCollected:
        r = (any && !hasstate) ? Tri::kTrue : Tri::kUnknown;
        break;
      case Flag::kNotApplicable:
        r = (any && !hasstate) ? Tri::kTrue : Tri::kNotApplicable;
        break;
      case Flag::kDoesNotExist:
        r = (t.existence == Existence::kNoneExist || any) ? Tri::kTrue : Tri::kFalse;
        break;
      case Flag::kComplete:
        r = existence_result(t.existence, exists, errors);
        if (r == Tri::kTrue && hasstate) r = check_state();
        break;
      case Flag::kIncomplete:
        if (any)
          r = Tri::kTrue;
        else if (t.existence == Existence::kAtLeastOneExists && exists > 0)
          r = Tri::kTrue;
        else if (t.existence == Existence::kNoneExist && exists > 0)
          r = Tri::kFalse;
        else if (t.existence == Existence::kOnlyOneExists && exists > 1)
          r = Tri::kFalse;
        else
          r = Tri::kUnknown;
        if (r == Tri::kTrue && hasstate) {
          r = check_state();
          if (r == Tri::kTrue) {
            if (t.check != Check::kAtLeastOne) r = Tri::kUnknown;
          } else if (r != Tri::kFalse) {
            r = Tri::kUnknown;
          }
        }
        break;
    }
    ev.result = r;
    ev.items_total = col.items.size();
    for (std::size_t i = 0; i < col.items.size() && i < evidence_limit; ++i) {
      const Item& it = col.items[i];
      ItemEvidence ie;
      ie.type = it.type;
      ie.status = scanner::to_string(it.status);
      ie.result = item_results[i];
      ie.file = it.source_file;
      ie.line = it.line;
      ie.message = it.message;
      for (const auto& f : it.fields) ie.fields.emplace_back(f.name, f.value);
      ev.items.push_back(std::move(ie));
    }
    return tests[id] = std::move(ev);
  }

  // ---- criteria / definitions ---------------------------------------------
  Tri criteria(const Criteria& c, std::vector<std::string>* reached) {
    Tri r = Tri::kError;
    switch (c.kind) {
      case Criteria::Kind::kCriterion:
        reached->push_back(c.ref);
        r = test(c.ref).result;
        break;
      case Criteria::Kind::kExtend:
        r = definition(c.ref, reached);
        break;
      case Criteria::Kind::kCriteria: {
        Counts cc;
        for (const auto& ch : c.children) cc.add(criteria(ch, reached));
        r = scanner::by_operator(cc, c.op);
        break;
      }
    }
    return c.negate ? scanner::negate(r) : r;
  }

  Tri definition(const std::string& id, std::vector<std::string>* reached) {
    auto dit = doc.definitions.find(id);
    if (dit == doc.definitions.end()) return Tri::kError;
    const Definition& d = dit->second;
    if (!d.criteria) return Tri::kUnknown;
    // Walk even when cached, so the caller learns which tests were involved.
    if (!busy.insert("def:" + id).second || depth > kMaxRecursion) return Tri::kError;
    ++depth;
    Tri r = criteria(*d.criteria, reached);
    --depth;
    busy.erase("def:" + id);
    defs[id] = r;
    return r;
  }
};

Engine::Engine(const Document& doc, CollectionSource& source, ExternalValues external)
    : impl_(std::make_unique<Impl>(doc, source, std::move(external))) {}
Engine::~Engine() = default;

void Engine::set_evidence_limit(std::size_t max_items_per_test) {
  impl_->evidence_limit = max_items_per_test;
}

const Document& Engine::document() const {
  return impl_->doc;
}

DefinitionResult Engine::evaluate(const std::string& id) {
  DefinitionResult out;
  out.id = id;
  auto dit = impl_->doc.definitions.find(id);
  if (dit == impl_->doc.definitions.end()) {
    out.result = Tri::kError;
    out.message = "unknown definition " + id;
    return out;
  }
  out.title = dit->second.title;
  std::vector<std::string> reached;
  out.result = impl_->definition(id, &reached);
  std::set<std::string> seen;
  for (const auto& t : reached)
    if (seen.insert(t).second) out.tests.push_back(impl_->test(t));
  return out;
}

std::vector<DefinitionResult> Engine::evaluate_all() {
  std::vector<DefinitionResult> out;
  for (const auto& id : impl_->doc.definition_order) out.push_back(evaluate(id));
  return out;
}

}  // namespace vigil::compliance::oval

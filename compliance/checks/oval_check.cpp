// OVAL check system adapter: XCCDF <check system="...oval-definitions-5"> -> the OVAL engine
// (compliance/oval/engine.h). One loaded Document per component, one Engine per component
// and external-variable set (engines cache collections, so every rule of a profile shares
// one), one collection source (--root or --facts) for the whole evaluation.
#include <sstream>

#include "compliance/checks/check_engine.h"
#include "compliance/oval/engine.h"
#include "compliance/xccdf/evaluate.h"

namespace vigil::compliance {

namespace {

constexpr std::size_t kMaxItemsPerTest = 20;

RuleResult to_xccdf(oval::OvalResult r, const std::string& klass) {
  // Vulnerability / patch definitions: "true" means the system is vulnerable (XCCDF 1.2,
  // OVAL-XCCDF mapping); compliance and inventory: "true" means it complies.
  const bool inverted = klass == "vulnerability" || klass == "patch";
  switch (r) {
    case oval::OvalResult::kTrue:
      return inverted ? RuleResult::kFail : RuleResult::kPass;
    case oval::OvalResult::kFalse:
      return inverted ? RuleResult::kPass : RuleResult::kFail;
    case oval::OvalResult::kUnknown:
      return RuleResult::kUnknown;
    case oval::OvalResult::kError:
      return RuleResult::kError;
    case oval::OvalResult::kNotEvaluated:
      return RuleResult::kNotChecked;
    case oval::OvalResult::kNotApplicable:
      return RuleResult::kNotApplicable;
  }
  return RuleResult::kError;
}

nlohmann::json evidence_of(const oval::DefinitionResult& d) {
  nlohmann::json tests = nlohmann::json::array();
  for (const auto& t : d.tests) {
    nlohmann::json items = nlohmann::json::array();
    std::size_t n = 0;
    for (const auto& it : t.items) {
      if (n++ >= kMaxItemsPerTest) break;
      nlohmann::json fields = nlohmann::json::object();
      for (const auto& [k, v] : it.fields) fields[k] = v;
      nlohmann::json ji = {{"type", it.type},
                           {"status", it.status},
                           {"result", oval::to_string(it.result)},
                           {"fields", fields}};
      if (!it.file.empty()) ji["file"] = it.file;
      if (it.line > 0) ji["line"] = it.line;
      if (!it.message.empty()) ji["message"] = it.message;
      items.push_back(std::move(ji));
    }
    nlohmann::json jt = {{"test", t.test_id},
                         {"type", t.test_type},
                         {"comment", t.comment},
                         {"object", t.object_id},
                         {"result", oval::to_string(t.result)},
                         {"flag", t.flag},
                         {"items", items}};
    if (t.items_total > kMaxItemsPerTest) jt["items_omitted"] = t.items_total - kMaxItemsPerTest;
    if (!t.messages.empty()) jt["messages"] = t.messages;
    tests.push_back(std::move(jt));
  }
  return {{"kind", "oval"},
          {"definition", d.id},
          {"result", oval::to_string(d.result)},
          {"tests", tests}};
}

std::string why(const oval::DefinitionResult& d) {
  if (!d.message.empty()) return d.message;
  for (const auto& t : d.tests)
    for (const auto& m : t.messages) return t.test_id + ": " + m;
  return {};
}

class OvalCheck : public CheckEngine {
 public:
  explicit OvalCheck(const Target& t) : target_(t) {}

  bool has(const Component& c, const std::string& name) override {
    auto doc = document(c);
    if (!doc) return false;
    return name.empty() || (*doc)->definitions.count(name) > 0;
  }

  std::vector<CheckOutcome> evaluate(const CheckCall& call) override {
    CheckOutcome err;
    err.name = call.name;
    if (!call.component) {
      err.result = RuleResult::kError;
      err.message = "OVAL check without check-content-ref";
      return {err};
    }
    auto doc = document(*call.component);
    if (!doc) {
      err.result = RuleResult::kError;
      err.message = doc.error().str();
      return {err};
    }
    auto src = source();
    if (!src) {
      err.result = RuleResult::kNotChecked;
      err.message = src.error().str();
      return {err};
    }
    oval::Engine& eng = engine(*call.component, *doc, **src, call.external_vars);
    std::vector<std::string> ids;
    if (!call.name.empty())
      ids.push_back(call.name);
    else
      ids = (*doc)->definition_order;
    std::vector<CheckOutcome> outs;
    for (const auto& id : ids) {
      oval::DefinitionResult d = eng.evaluate(id);
      std::string klass;
      if (auto it = (*doc)->definitions.find(id); it != (*doc)->definitions.end())
        klass = it->second.klass;
      CheckOutcome o;
      o.name = id;
      o.result = to_xccdf(d.result, klass);
      if (o.result != RuleResult::kPass && o.result != RuleResult::kFail) o.message = why(d);
      if (o.message.empty() && o.result != RuleResult::kPass && o.result != RuleResult::kFail)
        o.message = "OVAL result " + std::string(oval::to_string(d.result));
      o.evidence.push_back(evidence_of(d));
      outs.push_back(std::move(o));
    }
    if (outs.empty()) {
      err.result = RuleResult::kError;
      err.message = "no OVAL definition in " + call.href;
      return {err};
    }
    if (call.multi_check || outs.size() == 1) return outs;
    // No name and no multi-check: one result, the AND of every definition (XCCDF 1.2).
    CheckOutcome all;
    all.result = outs[0].result;
    for (std::size_t i = 1; i < outs.size(); ++i)
      all.result = combine_and(all.result, outs[i].result);
    for (auto& o : outs) {
      for (auto& e : o.evidence) all.evidence.push_back(std::move(e));
      if (!o.message.empty() && all.message.empty()) all.message = o.name + ": " + o.message;
    }
    return {all};
  }

 private:
  Result<std::shared_ptr<const oval::Document>> document(const Component& c) {
    if (auto it = docs_.find(c.id); it != docs_.end()) return it->second;
    if (auto it = errors_.find(c.id); it != errors_.end()) return it->second;
    if (c.kind() != "oval_definitions")
      return Error{c.label, "component is <" + c.kind() + ">, not oval_definitions"};
    auto d = oval::load_node(c.root, c.doc ? c.doc->path + "#" + c.id : c.id);
    if (!d) {
      errors_[c.id] = d.error();
      return d.error();
    }
    docs_[c.id] = *d;
    return *d;
  }

  Result<oval::CollectionSource*> source() {
    if (source_) return source_.get();
    if (!source_error_.what.empty()) return source_error_;
    if (!target_.facts_path.empty()) {
      auto s = oval::facts_source(target_.facts_path);
      if (!s) {
        source_error_ = s.error();
        return source_error_;
      }
      source_ = std::move(*s);
    } else if (!target_.root.empty()) {
      source_ = oval::root_source(target_.root);
    } else {
      source_error_ = Error{"", "no --root or --facts given: host checks are not evaluated"};
      return source_error_;
    }
    return source_.get();
  }

  oval::Engine& engine(const Component& c, const std::shared_ptr<const oval::Document>& doc,
                       oval::CollectionSource& src, const oval::ExternalValues& ext) {
    std::ostringstream key;
    key << c.id;
    for (const auto& [k, vs] : ext) {
      key << '\x1f' << k;
      for (const auto& v : vs) key << '\x1e' << v;
    }
    auto& slot = engines_[key.str()];
    if (!slot) {
      keep_.push_back(doc);
      slot = std::make_unique<oval::Engine>(*doc, src, ext);
      slot->set_evidence_limit(kMaxItemsPerTest);  // evidence_of() shows no more
    }
    return *slot;
  }

  const Target& target_;
  std::map<std::string, std::shared_ptr<const oval::Document>> docs_;
  std::map<std::string, Error> errors_;
  std::vector<std::shared_ptr<const oval::Document>> keep_;
  std::unique_ptr<oval::CollectionSource> source_;
  Error source_error_;
  std::map<std::string, std::unique_ptr<oval::Engine>> engines_;
};

}  // namespace

std::unique_ptr<CheckEngine> make_oval_check(const Target& t) {
  return std::make_unique<OvalCheck>(t);
}

}  // namespace vigil::compliance

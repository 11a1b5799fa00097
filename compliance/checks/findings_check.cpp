// The findings check system (see findings_check.h and docs/findings-check.md).
#include "compliance/checks/findings_check.h"

#include <pugixml.hpp>

#include "compliance/xccdf/xml.h"

namespace vigil::compliance {

namespace {

constexpr std::size_t kMaxEvidenceFindings = 50;  // per rule, in the results

const nlohmann::json* lookup(const nlohmann::json& j, const std::string& dotted) {
  const nlohmann::json* cur = &j;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    auto dot = dotted.find('.', start);
    const std::string key =
        dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur;
}

std::string scalar_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

bool evidence_ok(const FindingsQuery& q, const core::Finding& f) {
  for (const auto& m : q.evidence) {
    const nlohmann::json* v = lookup(f.evidence, m.field);
    if (!v) return false;
    if (!m.value) continue;
    if (v->is_array()) {
      bool any = false;
      for (const auto& e : *v) any = any || scalar_text(e) == *m.value;
      if (!any) return false;
    } else if (scalar_text(*v) != *m.value) {
      return false;
    }
  }
  return true;
}

core::Source default_source(const FindingsQuery& q) {
  for (const auto& p : q.type_prefixes)
    if (!p.starts_with("net.")) return core::Source::scanner;
  return core::Source::sensor;
}

nlohmann::json finding_evidence(const core::Finding& f) {
  return {{"kind", "finding"},
          {"id", f.id},
          {"type", f.type},
          {"severity", core::to_string(f.severity)},
          {"source", core::to_string(f.source)},
          {"title", f.title},
          {"asset",
           {{"ip", f.asset.ip},
            {"mac", f.asset.mac},
            {"hostname", f.asset.hostname},
            {"host_id", f.asset.host_id}}},
          {"first_seen", format_rfc3339(f.first_seen)},
          {"last_seen", format_rfc3339(f.last_seen)},
          {"count", f.count},
          {"evidence", f.evidence}};
}

// Does an observation record say the producer could report this query's types?
bool covers(const core::Finding& obs, const FindingsQuery& q) {
  auto it = obs.evidence.find("covers");
  if (it == obs.evidence.end() || !it->is_array()) return true;  // no list: covers everything
  for (const auto& c : *it) {
    if (!c.is_string()) continue;
    const std::string cov = c.get<std::string>();
    for (const auto& p : q.type_prefixes)
      if (type_matches(p, cov) || type_matches(cov, p)) return true;
  }
  return false;
}

}  // namespace

bool type_matches(const std::string& type, const std::string& prefix) {
  if (prefix.empty()) return false;
  if (type == prefix) return true;
  if (prefix.back() == '.') return type.starts_with(prefix);
  return type.size() > prefix.size() && type.starts_with(prefix) && type[prefix.size()] == '.';
}

Result<FindingsQuery> parse_findings_query(const std::string& xml, const std::string& where) {
  pugi::xml_document doc;
  if (xml.size() > 65536) return Error{where, "findings check content too large"};
  if (!doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8))
    return Error{where, "malformed findings check content"};
  pugi::xml_node n = doc.document_element();
  if (local_name(n) != "findings")
    return Error{where, "urn:vigil:check:findings needs a <findings> element in <check-content>"};
  FindingsQuery q;
  std::string_view types = attr(n, "type").value();
  while (!types.empty()) {
    auto sp = types.find(' ');
    if (auto t = types.substr(0, sp); !t.empty()) q.type_prefixes.emplace_back(t);
    if (sp == std::string_view::npos) break;
    types.remove_prefix(sp + 1);
  }
  if (q.type_prefixes.empty()) return Error{where, "<findings> without a type attribute"};
  if (auto s = attr(n, "min-severity")) {
    auto sev = core::parse_severity(s.value());
    if (!sev) return Error{where, std::string("unknown min-severity '") + s.value() + "'"};
    q.min_severity = *sev;
  }
  if (auto c = attr(n, "min-confidence")) q.min_confidence = c.as_double();
  if (auto s = attr(n, "source"); s && std::string_view(s.value()) != "any") {
    auto src = core::parse_source(s.value());
    if (!src) return Error{where, std::string("unknown source '") + s.value() + "'"};
    q.source = *src;
  }
  for (auto e : children(n, "evidence")) {
    FindingsQuery::EvidenceMatch m{attr(e, "field").value(), std::nullopt};
    if (m.field.empty()) return Error{where, "<evidence> without field"};
    if (auto v = attr(e, "value")) m.value = v.value();
    q.evidence.push_back(std::move(m));
  }
  return q;
}

std::vector<CheckOutcome> FindingsCheck::evaluate(const CheckCall& call) {
  CheckOutcome out;
  auto q = parse_findings_query(call.inline_content, call.where);
  if (!q) {
    out.result = RuleResult::kError;
    out.message = q.error().str();
    return {out};
  }
  out.name = q->type_prefixes.front();
  const FindingSet* set = target_.findings;
  if (!set || set->files.empty()) {
    out.result = RuleResult::kNotChecked;
    out.message = "no finding files given (--findings)";
    return {out};
  }
  const core::Source need = q->source.value_or(default_source(*q));
  std::size_t matched = 0;
  nlohmann::json observed = nlohmann::json::array();
  for (const auto& f : set->findings) {
    if (!target_.host.matches(f.asset)) continue;
    if (f.status == core::Status::false_positive || f.status == core::Status::resolved) continue;
    bool is_match = false;
    for (const auto& p : q->type_prefixes) is_match = is_match || type_matches(f.type, p);
    is_match = is_match && f.severity >= q->min_severity && f.confidence >= q->min_confidence &&
               evidence_ok(*q, f);
    if (is_match) {
      if (matched++ < kMaxEvidenceFindings) out.evidence.push_back(finding_evidence(f));
      continue;
    }
    // Coverage: any record from the source that could have seen it, for this host.
    if (f.source == need && (f.type != kObservedType || covers(f, *q)) && observed.size() < 5)
      observed.push_back({{"kind", "observation"},
                          {"source", core::to_string(f.source)},
                          {"type", f.type},
                          {"asset", f.asset.identity()},
                          {"last_seen", format_rfc3339(f.last_seen)}});
  }
  if (matched) {
    out.result = RuleResult::kFail;
    out.message = std::to_string(matched) + " matching finding" + (matched == 1 ? "" : "s");
    if (matched > kMaxEvidenceFindings)
      out.evidence.push_back({{"kind", "truncated"}, {"omitted", matched - kMaxEvidenceFindings}});
  } else if (!observed.empty()) {
    out.result = RuleResult::kPass;
    out.message =
        "host observed by the " + std::string(core::to_string(need)) + " and no matching finding";
    out.evidence = std::move(observed);
  } else {
    out.result = RuleResult::kNotChecked;
    out.message = "no " + std::string(core::to_string(need)) + " record covers " +
                  target_.host.display() + ": cannot tell absence from not looking";
  }
  return {out};
}

}  // namespace vigil::compliance

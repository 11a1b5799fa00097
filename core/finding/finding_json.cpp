// Finding <-> JSON. Reading is strict about shape and names the offending
// field, because findings arrive from other tools and from files on disk.
#include <cmath>

#include "core/finding/finding.h"
#include "core/util/json_text.h"

namespace vigil::core {

using nlohmann::json;

json to_json(const Finding& f) {
  json asset = json::object();
  if (!f.asset.ip.empty()) asset["ip"] = f.asset.ip;
  if (!f.asset.mac.empty()) asset["mac"] = f.asset.mac;
  if (!f.asset.hostname.empty()) asset["hostname"] = f.asset.hostname;
  if (!f.asset.host_id.empty()) asset["host_id"] = f.asset.host_id;
  json refs = json::array();
  for (const auto& r : f.references) refs.push_back({{"framework", r.framework}, {"id", r.id}});
  json j = {{"schema_version", f.schema_version},
            {"id", f.id},
            {"tenant", f.tenant},
            {"asset", std::move(asset)},
            {"source", to_string(f.source)},
            {"type", f.type},
            {"severity", to_string(f.severity)},
            {"confidence", f.confidence},
            {"title", f.title},
            {"description", f.description},
            {"evidence", f.evidence},
            {"references", std::move(refs)},
            {"first_seen", format_rfc3339(f.first_seen)},
            {"last_seen", format_rfc3339(f.last_seen)},
            {"count", f.count},
            {"status", to_string(f.status)}};
  if (!f.fingerprint_fields.empty()) j["fingerprint_fields"] = f.fingerprint_fields;
  return j;
}

namespace {

// `key` is written as is: every caller passes a literal that needs no
// escaping, with its quotes and colon (`"title":`).
void append_member(std::string& out, std::string_view key, std::string_view value) {
  out += key;
  append_json_string(out, value);
}

void append_raw(std::string& out, std::string_view key, std::string_view json_text,
                std::string_view if_empty) {
  out += key;
  out += json_text.empty() ? if_empty : json_text;
}

// nlohmann's rendering of a double; imported findings repeat a handful of
// confidence values, so the last one is kept.
void append_confidence(std::string& out, double v) {
  thread_local double last = -1;
  thread_local std::string text;
  if (v != last || text.empty()) {
    text = json(v).dump();
    last = v;
  }
  out += text;
}

}  // namespace

void append_json(std::string& out, const FindingView& f) {
  // Members in nlohmann's (sorted) order, so the bytes match to_json().dump().
  out += "{\"asset\":{";
  bool first = true;
  for (const auto& [key, value] :
       {std::pair<std::string_view, std::string_view>{"\"host_id\":", f.host_id},
        {"\"hostname\":", f.hostname},
        {"\"ip\":", f.ip},
        {"\"mac\":", f.mac}})
    if (!value.empty()) {
      if (!first) out += ',';
      append_member(out, key, value);
      first = false;
    }
  out += "},\"confidence\":";
  append_confidence(out, f.confidence);
  out += ",\"count\":";
  out += std::to_string(f.count);
  append_member(out, ",\"description\":", f.description);
  append_raw(out, ",\"evidence\":", f.evidence_json, "{}");
  if (!f.fingerprint_fields_json.empty() && f.fingerprint_fields_json != "[]")
    append_raw(out, ",\"fingerprint_fields\":", f.fingerprint_fields_json, "[]");
  out += ",\"first_seen\":\"";
  append_rfc3339(out, f.first_seen);
  append_member(out, "\",\"id\":", f.id);
  out += ",\"last_seen\":\"";
  append_rfc3339(out, f.last_seen);
  out += '"';
  append_raw(out, ",\"references\":", f.references_json, "[]");
  out += ",\"schema_version\":";
  out += std::to_string(f.schema_version);
  append_member(out, ",\"severity\":", to_string(f.severity));
  append_member(out, ",\"source\":", to_string(f.source));
  append_member(out, ",\"status\":", to_string(f.status));
  append_member(out, ",\"tenant\":", f.tenant);
  append_member(out, ",\"title\":", f.title);
  append_member(out, ",\"type\":", f.type);
  out += '}';
}

void append_json(std::string& out, const Finding& f, std::string_view evidence_json,
                 std::string_view references_json, std::string_view fingerprint_fields_json) {
  append_json(out, FindingView{f.schema_version, f.id,
                               f.tenant,         f.asset.ip,
                               f.asset.mac,      f.asset.hostname,
                               f.asset.host_id,  f.source,
                               f.type,           f.severity,
                               f.confidence,     f.title,
                               f.description,    evidence_json,
                               references_json,  fingerprint_fields_json,
                               f.first_seen,     f.last_seen,
                               f.count,          f.status});
}

Finding FindingView::bare() const {
  Finding f;
  f.schema_version = schema_version;
  f.id = id;
  f.tenant = tenant;
  f.asset = {std::string(ip), std::string(mac), std::string(hostname), std::string(host_id)};
  f.source = source;
  f.type = type;
  f.severity = severity;
  f.confidence = confidence;
  f.title = title;
  f.description = description;
  f.first_seen = first_seen;
  f.last_seen = last_seen;
  f.count = count;
  f.status = status;
  return f;
}

namespace {

struct Reader {
  const json& j;
  std::string err;

  const json* get(const char* key, bool required) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required && err.empty()) err = std::string("missing field '") + key + "'";
      return nullptr;
    }
    return &*it;
  }
  bool fail(const char* key, const std::string& why) {
    if (err.empty()) err = std::string("field '") + key + "': " + why;
    return false;
  }
  bool str(const char* key, std::string& out, bool required, std::size_t max = 4096) {
    const json* v = get(key, required);
    if (!v) return !required;
    if (!v->is_string()) return fail(key, "must be a string");
    out = v->get<std::string>();
    if (out.size() > max) return fail(key, "longer than " + std::to_string(max) + " bytes");
    return true;
  }
  bool time(const char* key, Micros& out, bool required) {
    std::string s;
    if (!str(key, s, required)) return false;
    if (s.empty()) return !required || fail(key, "empty");
    auto t = parse_rfc3339(s);
    if (!t) return fail(key, "not an RFC 3339 timestamp: '" + s + "'");
    out = *t;
    return true;
  }
};

// Walks `v` subtracting a worst-case serialised size from `budget` (every
// character escaped as \uXXXX, 32 bytes per number): true means dump() would
// certainly fit, so the common small evidence skips a throw-away dump.
bool surely_fits(const json& v, std::size_t& budget) {
  auto take = [&](std::size_t n) {
    if (n > budget) return false;
    budget -= n;
    return true;
  };
  switch (v.type()) {
    case json::value_t::object:
      for (auto it = v.begin(); it != v.end(); ++it)
        if (!take(6 * it.key().size() + 4) || !surely_fits(it.value(), budget)) return false;
      return take(2);
    case json::value_t::array:
      for (const auto& e : v)
        if (!take(1) || !surely_fits(e, budget)) return false;
      return take(2);
    case json::value_t::string:
      return take(6 * v.get_ref<const std::string&>().size() + 2);
    default:
      return take(32);
  }
}

bool evidence_too_large(const json& v) {
  std::size_t budget = kMaxEvidenceBytes;
  return !surely_fits(v, budget) && v.dump().size() > kMaxEvidenceBytes;
}

// Shared by strict and import reading; `lenient` lets the import path fill in
// what another tool could not know.
Result<Finding> read(const json& j, bool lenient, const std::string& tenant_override, Micros now) {
  if (!j.is_object()) return Error{"", "a finding must be a JSON object"};
  Reader r{j, {}};
  Finding f;
  if (const json* v = r.get("schema_version", !lenient)) {
    if (!v->is_number_integer())
      r.fail("schema_version", "must be an integer");
    else if (v->get<int>() != kFindingSchemaVersion)
      r.fail("schema_version", "unsupported version " + std::to_string(v->get<int>()));
  }
  r.str("id", f.id, !lenient, 128);
  r.str("tenant", f.tenant, tenant_override.empty(), 128);
  if (!tenant_override.empty()) {
    // A file made for another client must not slip into this one's store.
    if (!f.tenant.empty() && f.tenant != tenant_override)
      r.fail("tenant", "is '" + f.tenant + "' but importing for tenant '" + tenant_override + "'");
    f.tenant = tenant_override;
  }
  if (r.err.empty() && f.tenant.empty()) r.fail("tenant", "empty");

  if (const json* a = r.get("asset", true)) {
    if (!a->is_object()) {
      r.fail("asset", "must be an object");
    } else {
      Reader ar{*a, {}};
      ar.str("ip", f.asset.ip, false, 64);
      ar.str("mac", f.asset.mac, false, 64);
      ar.str("hostname", f.asset.hostname, false, 255);
      ar.str("host_id", f.asset.host_id, false, 255);
      if (!ar.err.empty())
        r.fail("asset", ar.err);
      else if (f.asset.empty())
        r.fail("asset", "needs at least one of ip, mac, hostname, host_id");
    }
  }
  std::string s;
  s.clear();
  if (r.str("source", s, true)) {
    if (auto v = parse_source(s))
      f.source = *v;
    else if (r.err.empty())
      r.fail("source", "unknown source '" + s + "' (sensor, scanner, mapper)");
  }
  if (r.str("type", f.type, true, 128) && r.err.empty() && !valid_finding_type(f.type))
    r.fail("type", "must be a dotted lower-case id like 'net.auth.cleartext.ftp'");
  s.clear();
  if (r.str("severity", s, true)) {
    if (auto v = parse_severity(s))
      f.severity = *v;
    else if (r.err.empty())
      r.fail("severity", "unknown severity '" + s + "' (info, low, medium, high, critical)");
  }
  if (const json* v = r.get("confidence", false)) {
    if (!v->is_number() || !std::isfinite(v->get<double>()) || v->get<double>() < 0 ||
        v->get<double>() > 1)
      r.fail("confidence", "must be a number from 0 to 1");
    else
      f.confidence = v->get<double>();
  }
  r.str("title", f.title, true, 1024);
  if (r.err.empty() && f.title.empty()) r.fail("title", "empty");
  r.str("description", f.description, false, 16384);
  if (const json* v = r.get("evidence", false)) {
    if (!v->is_object())
      r.fail("evidence", "must be an object");
    else if (evidence_too_large(*v))
      r.fail("evidence", "larger than " + std::to_string(kMaxEvidenceBytes) + " bytes");
    else
      f.evidence = *v;
  }
  if (const json* v = r.get("fingerprint_fields", false)) {
    if (!v->is_array())
      r.fail("fingerprint_fields", "must be an array of strings");
    else
      for (const auto& e : *v) {
        if (!e.is_string()) {
          r.fail("fingerprint_fields", "must be an array of strings");
          break;
        }
        f.fingerprint_fields.push_back(e.get<std::string>());
      }
  }
  if (const json* v = r.get("references", false)) {
    if (!v->is_array())
      r.fail("references", "must be an array of {framework, id}");
    else
      for (const auto& e : *v) {
        if (!e.is_object() || !e.contains("framework") || !e.contains("id") ||
            !e["framework"].is_string() || !e["id"].is_string()) {
          r.fail("references", "each reference needs string 'framework' and 'id'");
          break;
        }
        f.references.push_back({e["framework"].get<std::string>(), e["id"].get<std::string>()});
      }
  }
  r.time("first_seen", f.first_seen, !lenient);
  r.time("last_seen", f.last_seen, !lenient);
  if (const json* v = r.get("count", !lenient)) {
    if (!v->is_number_unsigned() || v->get<std::uint64_t>() == 0)
      r.fail("count", "must be a positive integer");
    else
      f.count = v->get<std::uint64_t>();
  }
  s.clear();
  if (r.str("status", s, !lenient) && !s.empty()) {
    if (auto v = parse_status(s))
      f.status = *v;
    else if (r.err.empty())
      r.fail("status", "unknown status '" + s + "'");
  }
  if (!r.err.empty()) return Error{"", r.err};

  if (lenient) {
    if (!f.last_seen) f.last_seen = f.first_seen ? f.first_seen : now;
    if (!f.first_seen) f.first_seen = f.last_seen;
  }
  if (f.first_seen > f.last_seen) return Error{"", "field 'first_seen': later than last_seen"};
  // Secrets never reach the store, whoever produced the finding.
  redact_secrets(f.evidence);
  const std::string fp = fingerprint(f);
  if (f.id.empty()) f.id = fp;
  return f;
}

}  // namespace

bool valid_finding_type(std::string_view t) {
  if (t.empty() || t.size() > 128 || t.front() == '.' || t.back() == '.') return false;
  for (char c : t)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
      return false;
  return t.find("..") == std::string_view::npos;
}

Result<Finding> finding_from_json(const json& j) {
  return read(j, false, "", 0);
}

Result<Finding> finding_from_import(const json& j, const std::string& tenant, Micros now) {
  // The fingerprint is a JSON text with the tenant in it (nlohmann throws).
  if (!valid_utf8(tenant)) return Error{"", "the tenant is not valid UTF-8"};
  return read(j, true, tenant, now);
}

}  // namespace vigil::core

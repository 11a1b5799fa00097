// See finding_import.h. The fast path mirrors read() in finding_json.cpp for
// the lenient import case; whatever it is unsure of goes to that function, so
// the rules and the messages live in one place.
#include "core/finding/finding_import.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace vigil::core {
namespace {

namespace dom = simdjson::dom;
using nlohmann::json;

// Top-level fields the fast path reads, as bits for the duplicate check
// (nlohmann keeps the last of duplicate keys; the slow path decides those).
enum Field : unsigned {
  kSchemaVersion,
  kId,
  kTenant,
  kAsset,
  kSource,
  kType,
  kSeverity,
  kConfidence,
  kTitle,
  kDescription,
  kEvidence,
  kFingerprintFields,
  kReferences,
  kFirstSeen,
  kLastSeen,
  kCount,
  kStatus,
  kUnknown
};

Field field_of(std::string_view k) {
  static constexpr std::pair<std::string_view, Field> kNames[] = {
      {"schema_version", kSchemaVersion},
      {"id", kId},
      {"tenant", kTenant},
      {"asset", kAsset},
      {"source", kSource},
      {"type", kType},
      {"severity", kSeverity},
      {"confidence", kConfidence},
      {"title", kTitle},
      {"description", kDescription},
      {"evidence", kEvidence},
      {"fingerprint_fields", kFingerprintFields},
      {"references", kReferences},
      {"first_seen", kFirstSeen},
      {"last_seen", kLastSeen},
      {"count", kCount},
      {"status", kStatus}};
  for (const auto& [name, f] : kNames)
    if (name == k) return f;
  return kUnknown;
}

bool str(dom::element v, std::string& out, std::size_t max) {
  std::string_view s;
  if (v.get_string().get(s) || s.size() > max) return false;
  out.assign(s);
  return true;
}

bool time(dom::element v, Micros& out) {
  std::string_view s;
  if (v.get_string().get(s)) return false;
  if (s.empty()) return true;  // treated as missing, as the slow path does
  auto t = parse_rfc3339(s);
  if (!t) return false;
  out = *t;
  return true;
}

// True when no key repeats among `keys` (small objects: sort and compare).
bool unique_keys(std::vector<std::string_view>& keys) {
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
}

// False when the slow path must take the evidence: a secret-looking key
// holds a value to redact, a key repeats, or it nests absurdly deep.
bool clean_evidence(dom::element e, int depth) {
  if (depth > 128) return false;
  if (e.is_object()) {
    std::vector<std::string_view> keys;
    for (dom::key_value_pair kv : dom::object(e)) {
      if (is_secret_key(kv.key) && !kv.value.is_bool() && !kv.value.is_null()) return false;
      if (!clean_evidence(kv.value, depth + 1)) return false;
      keys.push_back(kv.key);
    }
    return unique_keys(keys);
  }
  if (e.is_array())
    for (dom::element v : dom::array(e))
      if (!clean_evidence(v, depth + 1)) return false;
  return true;
}

// For the fingerprint, whose canonical form is nlohmann's dump.
json to_nlohmann(dom::element e) {
  switch (e.type()) {
    case dom::element_type::OBJECT: {
      json o = json::object();
      for (dom::key_value_pair kv : dom::object(e)) o[std::string(kv.key)] = to_nlohmann(kv.value);
      return o;
    }
    case dom::element_type::ARRAY: {
      json a = json::array();
      for (dom::element v : dom::array(e)) a.push_back(to_nlohmann(v));
      return a;
    }
    case dom::element_type::INT64:
      return std::int64_t(e);
    case dom::element_type::UINT64:
      return std::uint64_t(e);
    case dom::element_type::DOUBLE:
      return double(e);
    case dom::element_type::STRING:
      return std::string(std::string_view(e));
    case dom::element_type::BOOL:
      return bool(e);
    case dom::element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

bool read_asset(dom::element v, Asset& a) {
  dom::object o;
  if (v.get_object().get(o)) return false;
  unsigned seen = 0;
  for (dom::key_value_pair kv : o) {
    const std::string_view k = kv.key;
    const int bit = k == "ip" ? 1 : k == "mac" ? 2 : k == "hostname" ? 4 : k == "host_id" ? 8 : 0;
    if (!bit) continue;
    if (seen & bit) return false;
    seen |= bit;
    if (kv.value.is_null()) continue;
    std::string& out = bit == 1 ? a.ip : bit == 2 ? a.mac : bit == 4 ? a.hostname : a.host_id;
    if (!str(kv.value, out, bit <= 2 ? 64 : 255)) return false;
  }
  return !a.empty();
}

bool read_references(dom::element v, std::vector<Reference>& out) {
  dom::array a;
  if (v.get_array().get(a)) return false;
  for (dom::element e : a) {
    dom::object o;
    if (e.get_object().get(o)) return false;
    Reference r;
    unsigned seen = 0;
    for (dom::key_value_pair kv : o) {
      const int bit = kv.key == "framework" ? 1 : kv.key == "id" ? 2 : 0;
      if (!bit) continue;
      if (seen & bit) return false;
      seen |= bit;
      std::string_view s;
      if (kv.value.get_string().get(s)) return false;
      (bit == 1 ? r.framework : r.id).assign(s);
    }
    if (seen != 3) return false;
    out.push_back(std::move(r));
  }
  return true;
}

bool read_field(Field k, dom::element v, Finding& f, dom::element& evidence, dom::array& fields) {
  switch (k) {
    case kSchemaVersion: {
      std::int64_t n;
      return !v.get_int64().get(n) && n == kFindingSchemaVersion;
    }
    case kId:
      return str(v, f.id, 128);
    case kTenant:
      return str(v, f.tenant, 128);
    case kAsset:
      return read_asset(v, f.asset);
    case kSource:
    case kSeverity:
    case kStatus: {
      std::string_view s;
      if (v.get_string().get(s)) return false;
      if (k == kSource) {
        auto x = parse_source(s);
        return x && (f.source = *x, true);
      }
      if (k == kSeverity) {
        auto x = parse_severity(s);
        return x && (f.severity = *x, true);
      }
      if (s.empty()) return true;
      auto x = parse_status(s);
      return x && (f.status = *x, true);
    }
    case kType:
      return str(v, f.type, 128) && valid_finding_type(f.type);
    case kConfidence: {
      double d;
      if (v.get_double().get(d) || !std::isfinite(d) || d < 0 || d > 1) return false;
      f.confidence = d;
      return true;
    }
    case kTitle:
      return str(v, f.title, 1024) && !f.title.empty();
    case kDescription:
      return str(v, f.description, 16384);
    case kEvidence:
      evidence = v;
      return v.is_object() && clean_evidence(v, 0);
    case kFingerprintFields:
      if (v.get_array().get(fields)) return false;
      for (dom::element e : fields)
        if (!e.is_string()) return false;
      return true;
    case kReferences:
      return read_references(v, f.references);
    case kFirstSeen:
      return time(v, f.first_seen);
    case kLastSeen:
      return time(v, f.last_seen);
    case kCount: {
      std::uint64_t n;
      if (v.get_uint64().get(n) || n == 0) return false;
      f.count = n;
      return true;
    }
    case kUnknown:
      return true;
  }
  return false;
}

}  // namespace

struct ImportReader::Impl {
  dom::parser parser;

  // False: let the slow path decide (and word the error).
  bool fast(std::string_view line, const std::string& tenant, Micros now, ImportedFinding& out) {
    if (tenant.empty()) return false;
    dom::object obj;
    if (parser.parse(line.data(), line.size(), true).get_object().get(obj)) return false;
    Finding& f = out.finding;
    dom::element evidence;
    dom::array fields;
    bool has_evidence = false, has_fields = false;
    unsigned seen = 0;
    for (dom::key_value_pair kv : obj) {
      const Field k = field_of(kv.key);
      if (k == kUnknown) continue;
      if (seen & (1u << k)) return false;
      seen |= 1u << k;
      if (kv.value.is_null()) continue;
      if (!read_field(k, kv.value, f, evidence, fields)) return false;
      has_evidence |= k == kEvidence;
      has_fields |= k == kFingerprintFields;
    }
    // A file made for another client must not slip into this one's store.
    if (!f.tenant.empty() && f.tenant != tenant) return false;
    f.tenant = tenant;
    if (!(seen & (1u << kAsset)) || f.asset.empty() || f.type.empty() || f.title.empty() ||
        !(seen & (1u << kSource)) || !(seen & (1u << kSeverity)))
      return false;
    if (!f.last_seen) f.last_seen = f.first_seen ? f.first_seen : now;
    if (!f.first_seen) f.first_seen = f.last_seen;
    if (f.first_seen > f.last_seen) return false;
    if (has_evidence) {
      out.evidence_json = simdjson::minify(evidence);
      // Formatting may differ a little from nlohmann's: near the cap, let
      // the slow path measure it exactly.
      if (out.evidence_json.size() > kMaxEvidenceBytes - 1024) return false;
    } else {
      out.evidence_json = "{}";
    }
    // The fingerprint needs only the key fields of the evidence.
    json key_fields = json::object();
    if (has_fields) {
      dom::object ev;
      if (has_evidence) ev = dom::object(evidence);
      for (dom::element e : fields) {
        const std::string name(std::string_view(e).data(), std::string_view(e).size());
        f.fingerprint_fields.push_back(name);
        dom::element v;
        key_fields[name] = has_evidence && !ev[name].get(v) ? to_nlohmann(v) : json();
      }
    }
    const std::string fp = fingerprint(f, key_fields);
    if (f.id.empty()) f.id = fp;
    return true;
  }
};

ImportReader::ImportReader() : impl_(std::make_unique<Impl>()) {}
ImportReader::~ImportReader() = default;
ImportReader::ImportReader(ImportReader&&) noexcept = default;
ImportReader& ImportReader::operator=(ImportReader&&) noexcept = default;

Result<ImportedFinding> ImportReader::read(std::string_view line, const std::string& tenant,
                                           Micros now) {
  ImportedFinding out;
  if (impl_->fast(line, tenant, now, out)) return out;
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error{"", "not valid JSON"};
  auto f = finding_from_import(j, tenant, now);
  if (!f) return f.error();
  out.finding = std::move(*f);
  out.evidence_json = out.finding.evidence.dump();
  out.finding.evidence = json::object();
  return out;
}

}  // namespace vigil::core

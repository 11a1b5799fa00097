// See finding_import.h. The fast path mirrors read() in finding_json.cpp for
// the lenient import case; whatever it is unsure of goes to that function, so
// the rules and the messages live in one place. It writes into a recycled
// ImportedFinding and builds the fingerprint's canonical text and the evidence
// text in reused buffers: a million-finding import spent more time in malloc,
// free and nlohmann's DOM than in parsing.
#include "core/finding/finding_import.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/util/json_text.h"
#include "core/util/jsonl.h"

namespace vigil::core {
namespace {

namespace dom = simdjson::dom;

static_assert(JsonLinesReader::kPadding >= simdjson::SIMDJSON_PADDING,
              "lines from JsonLinesReader must be parseable in place");
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

// `k` equals the literal; the constant length lets the compiler inline the
// compare (a library memcmp call per key showed in profiles).
template <std::size_t N>
bool is(std::string_view k, const char (&lit)[N]) {
  return k.size() == N - 1 && std::memcmp(k.data(), lit, N - 1) == 0;
}

Field field_of(std::string_view k) {
  switch (k.size()) {
    case 2:
      return is(k, "id") ? kId : kUnknown;
    case 4:
      return is(k, "type") ? kType : kUnknown;
    case 5:
      return is(k, "asset") ? kAsset : is(k, "title") ? kTitle : is(k, "count") ? kCount : kUnknown;
    case 6:
      return is(k, "tenant")   ? kTenant
             : is(k, "source") ? kSource
             : is(k, "status") ? kStatus
                               : kUnknown;
    case 8:
      return is(k, "severity") ? kSeverity : is(k, "evidence") ? kEvidence : kUnknown;
    case 9:
      return is(k, "last_seen") ? kLastSeen : kUnknown;
    case 10:
      return is(k, "confidence")   ? kConfidence
             : is(k, "references") ? kReferences
             : is(k, "first_seen") ? kFirstSeen
                                   : kUnknown;
    case 11:
      return is(k, "description") ? kDescription : kUnknown;
    case 14:
      return is(k, "schema_version") ? kSchemaVersion : kUnknown;
    case 18:
      return is(k, "fingerprint_fields") ? kFingerprintFields : kUnknown;
    default:
      return kUnknown;
  }
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

// The n-th element of `v`, reused when a previous finding left one there
// (the caller assigns every member).
template <class T>
T& slot(std::vector<T>& v, std::size_t n) {
  if (n == v.size()) v.emplace_back();
  return v[n];
}

template <class Int>
void append_int(std::string& out, Int n) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
}

// Writes the evidence as simdjson::minify() does, straight into the
// finding's recycled string, and checks it in the same walk. For valid UTF-8
// (all simdjson hands out) its string escapes are nlohmann's, which
// append_json_string writes; doubles go through simdjson's own formatter.
struct EvidenceWriter {
  std::string& out;
  std::vector<std::string_view>& keys;  // scratch shared by the whole walk
  simdjson::internal::string_builder<>& number;

  // False when the slow path must take the evidence: a secret-looking key
  // holds a value to redact, a key repeats, or it nests absurdly deep.
  bool write(dom::element e, int depth) {
    if (depth > 128) return false;
    switch (e.type()) {
      case dom::element_type::OBJECT: {
        const dom::object o(e);
        out += '{';
        bool first = true;
        for (dom::key_value_pair kv : o) {
          if (is_secret_key(kv.key) && !kv.value.is_bool() && !kv.value.is_null()) return false;
          if (!first) out += ',';
          first = false;
          append_json_string(out, kv.key);
          out += ':';
          if (!write(kv.value, depth + 1)) return false;
        }
        out += '}';
        // Nested objects are done with the scratch: this object's keys go last.
        const std::size_t base = keys.size();
        for (dom::key_value_pair kv : o) keys.push_back(kv.key);
        std::sort(keys.begin() + base, keys.end());
        const bool unique = std::adjacent_find(keys.begin() + base, keys.end()) == keys.end();
        keys.resize(base);
        return unique;
      }
      case dom::element_type::ARRAY: {
        out += '[';
        bool first = true;
        for (dom::element v : dom::array(e)) {
          if (!first) out += ',';
          first = false;
          if (!write(v, depth + 1)) return false;
        }
        out += ']';
        return true;
      }
      case dom::element_type::STRING:
        append_json_string(out, std::string_view(e));
        return true;
      case dom::element_type::INT64:
        append_int(out, std::int64_t(e));
        return true;
      case dom::element_type::UINT64:
        append_int(out, std::uint64_t(e));
        return true;
      case dom::element_type::DOUBLE:
        number.clear();
        number.append(e);
        out += number.str();
        return true;
      case dom::element_type::BOOL:
        out += bool(e) ? "true" : "false";
        return true;
      case dom::element_type::NULL_VALUE:
        out += "null";
        return true;
    }
    return false;
  }
};

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

// A key field's value as nlohmann dumps it. Strings (valid UTF-8 after
// simdjson), integers, booleans and null are written here; doubles (nlohmann's
// number format), arrays and objects are rare and go through nlohmann.
void append_value(std::string& out, dom::element v) {
  switch (v.type()) {
    case dom::element_type::STRING:
      append_json_string(out, std::string_view(v));
      return;
    case dom::element_type::INT64:
      append_int(out, std::int64_t(v));
      return;
    case dom::element_type::UINT64:
      append_int(out, std::uint64_t(v));
      return;
    case dom::element_type::BOOL:
      out += bool(v) ? "true" : "false";
      return;
    case dom::element_type::NULL_VALUE:
      out += "null";
      return;
    default:
      out += to_nlohmann(v).dump();
  }
}

bool read_asset(dom::element v, Asset& a) {
  dom::object o;
  if (v.get_object().get(o)) return false;
  unsigned seen = 0;
  for (dom::key_value_pair kv : o) {
    const std::string_view k = kv.key;
    const int bit = is(k, "ip")         ? 1
                    : is(k, "mac")      ? 2
                    : is(k, "hostname") ? 4
                    : is(k, "host_id")  ? 8
                                        : 0;
    if (!bit) continue;
    if (seen & bit) return false;
    seen |= bit;
    if (kv.value.is_null()) continue;
    std::string& out = bit == 1 ? a.ip : bit == 2 ? a.mac : bit == 4 ? a.hostname : a.host_id;
    if (!str(kv.value, out, bit <= 2 ? 64 : 255)) return false;
  }
  return !a.empty();
}

bool read_references(dom::element v, std::vector<Reference>& out, std::size_t& n) {
  dom::array a;
  if (v.get_array().get(a)) return false;
  for (dom::element e : a) {
    dom::object o;
    if (e.get_object().get(o)) return false;
    Reference& r = slot(out, n);
    unsigned seen = 0;
    for (dom::key_value_pair kv : o) {
      const int bit = is(kv.key, "framework") ? 1 : is(kv.key, "id") ? 2 : 0;
      if (!bit) continue;
      if (seen & bit) return false;
      seen |= bit;
      std::string_view s;
      if (kv.value.get_string().get(s)) return false;
      (bit == 1 ? r.framework : r.id).assign(s);
    }
    if (seen != 3) return false;
    ++n;
  }
  return true;
}

// What a line leaves for after its fields are read.
struct Pending {
  EvidenceWriter evidence;  // writes ImportedFinding::evidence_json
  dom::array fields{};
  std::size_t references = 0;  // filled slots of Finding::references
  dom::object evidence_object{};
};

bool read_field(Field k, dom::element v, Finding& f, Pending& p) {
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
      if (v.get_object().get(p.evidence_object)) return false;
      p.evidence.out.clear();
      return p.evidence.write(v, 0);
    case kFingerprintFields:
      if (v.get_array().get(p.fields)) return false;
      for (dom::element e : p.fields)
        if (!e.is_string()) return false;
      return true;
    case kReferences:
      return read_references(v, f.references, p.references);
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

// Back to the defaults of a fresh Finding, keeping the strings' capacity.
// fingerprint_fields and references are trimmed once the line is read.
void reset(Finding& f) {
  f.schema_version = kFindingSchemaVersion;
  for (std::string* s : {&f.id, &f.tenant, &f.asset.ip, &f.asset.mac, &f.asset.hostname,
                         &f.asset.host_id, &f.type, &f.title, &f.description})
    s->clear();
  f.source = Source::scanner;
  f.severity = Severity::info;
  f.confidence = 1.0;
  if (!f.evidence.is_object() || !f.evidence.empty()) f.evidence = json::object();
  f.first_seen = f.last_seen = 0;
  f.count = 1;
  f.status = Status::open_new;
}

}  // namespace

struct ImportReader::Impl {
  dom::parser parser;
  // Reused per line: no allocation once they have grown.
  simdjson::internal::string_builder<> number;  // a double as simdjson::minify() writes it
  std::string key_fields;
  std::vector<std::string_view> keys;
  std::vector<std::size_t> order;

  // False: let the slow path decide (and word the error).
  bool fast(std::string_view line, const std::string& tenant, Micros now, ImportedFinding& out,
            bool padded) {
    // The fingerprint text takes the tenant as is: nlohmann would refuse
    // (throw on) invalid UTF-8 there.
    if (tenant.empty() || !valid_utf8(tenant)) return false;
    dom::object obj;
    if (parser.parse(line.data(), line.size(), !padded).get_object().get(obj)) return false;
    Finding& f = out.finding;
    reset(f);
    Pending p{.evidence = {out.evidence_json, keys, number}};
    bool has_evidence = false, has_fields = false;
    unsigned seen = 0;
    for (dom::key_value_pair kv : obj) {
      const Field k = field_of(kv.key);
      if (k == kUnknown) continue;
      if (seen & (1u << k)) return false;
      seen |= 1u << k;
      if (kv.value.is_null()) continue;
      if (!read_field(k, kv.value, f, p)) return false;
      has_evidence |= k == kEvidence;
      has_fields |= k == kFingerprintFields;
    }
    f.references.resize(p.references);
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
      // Formatting may differ a little from nlohmann's: near the cap, let
      // the slow path measure it exactly.
      if (out.evidence_json.size() > kMaxEvidenceBytes - 1024) return false;
    } else {
      out.evidence_json = "{}";
    }
    std::size_t n = 0;
    if (has_fields)
      for (dom::element e : p.fields) slot(f.fingerprint_fields, n++).assign(std::string_view(e));
    f.fingerprint_fields.resize(n);
    if (f.id.empty()) {
      write_key_fields(f.fingerprint_fields, has_evidence ? &p.evidence_object : nullptr);
      fingerprint(f, key_fields, f.id);
    }
    return true;
  }

  // The key fields of the evidence as nlohmann dumps the object fingerprint()
  // builds from them: keys sorted, a repeated name once, a missing field null.
  void write_key_fields(const std::vector<std::string>& names, const dom::object* evidence) {
    order.clear();
    for (std::size_t i = 0; i < names.size(); ++i) order.push_back(i);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
    order.erase(std::unique(order.begin(), order.end(),
                            [&](std::size_t a, std::size_t b) { return names[a] == names[b]; }),
                order.end());
    key_fields.assign("{");
    for (std::size_t i : order) {
      if (key_fields.size() > 1) key_fields += ',';
      append_json_string(key_fields, names[i]);
      key_fields += ':';
      dom::element v;
      if (evidence && !evidence->at_key(names[i]).get(v))
        append_value(key_fields, v);
      else
        key_fields += "null";
    }
    key_fields += '}';
  }
};

ImportReader::ImportReader() : impl_(std::make_unique<Impl>()) {}
ImportReader::~ImportReader() = default;
ImportReader::ImportReader(ImportReader&&) noexcept = default;
ImportReader& ImportReader::operator=(ImportReader&&) noexcept = default;

Result<ImportedFinding> ImportReader::read(std::string_view line, const std::string& tenant,
                                           Micros now) {
  ImportedFinding out;
  if (auto r = read(line, tenant, now, out); !r) return r.error();
  return out;
}

vigil::Status ImportReader::read(std::string_view line, const std::string& tenant, Micros now,
                                 ImportedFinding& out, bool padded) {
  if (impl_->fast(line, tenant, now, out, padded)) return ok_status();
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error{"", "not valid JSON"};
  auto f = finding_from_import(j, tenant, now);
  if (!f) return f.error();
  out.finding = std::move(*f);
  out.evidence_json = out.finding.evidence.dump();
  out.finding.evidence = json::object();
  return ok_status();
}

}  // namespace vigil::core

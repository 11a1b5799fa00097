// JSON form of the asset record (docs/assets.md) and the store's merge rule.
#include "core/asset/asset_record.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <tuple>

namespace vigil::core {

namespace {

using nlohmann::json;

bool valid_mac(const std::string& s) {
  if (s.size() != 17) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i % 3 == 2 ? c != ':' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string ts(Micros t) {
  return format_rfc3339(t);
}

// Field readers that turn a type error into a message naming the field.
struct Reader {
  const json& j;
  std::string err;
  std::string str(const char* key, bool required = false) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required && err.empty()) err = std::string("missing \"") + key + "\"";
      return {};
    }
    if (!it->is_string()) {
      if (err.empty()) err = std::string("\"") + key + "\" must be a string";
      return {};
    }
    return it->get<std::string>();
  }
  Micros time(const char* key) {
    const std::string s = str(key, true);
    if (!err.empty()) return 0;
    auto t = parse_rfc3339(s);
    if (!t) err = std::string("\"") + key + "\": not an RFC 3339 time: '" + s + "'";
    return t.value_or(0);
  }
};

nlohmann::ordered_json service_json(const AssetService& s) {
  nlohmann::ordered_json j{{"port", s.port},
                           {"transport", s.transport},
                           {"protocol", s.protocol},
                           {"software", s.software},
                           {"banner", s.banner},
                           {"first_seen", ts(s.first_seen)},
                           {"last_seen", ts(s.last_seen)}};
  if (!s.cert_subject.empty()) j["cert_subject"] = s.cert_subject;
  return j;
}

Result<AssetService> service_from_json(const json& j) {
  if (!j.is_object()) return Error{"", "services[]: each entry must be an object"};
  AssetService s;
  auto port = j.find("port");
  if (port == j.end() || !port->is_number_integer() || port->get<std::int64_t>() < 0 ||
      port->get<std::int64_t>() > 65535)
    return Error{"", "services[].port must be an integer 0..65535"};
  s.port = static_cast<std::uint16_t>(port->get<std::int64_t>());
  Reader r{j, {}};
  s.transport = lower(r.str("transport", true));
  s.protocol = r.str("protocol");
  s.software = r.str("software");
  s.banner = r.str("banner");
  s.cert_subject = r.str("cert_subject");
  s.first_seen = r.time("first_seen");
  s.last_seen = r.time("last_seen");
  if (!r.err.empty()) return Error{"", "services[]: " + r.err};
  if (s.transport != "tcp" && s.transport != "udp")
    return Error{"", "services[].transport must be \"tcp\" or \"udp\""};
  return s;
}

template <typename T, typename Key>
void sort_by(std::vector<T>& v, Key key) {
  std::sort(v.begin(), v.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
}

auto service_key(const AssetService& s) {
  return std::tie(s.transport, s.port);
}

// The text of whichever side was seen last; on a tie the larger text, so the
// outcome does not depend on which record is merged into which.
void take_newer(std::string& into, Micros into_t, const std::string& from, Micros from_t) {
  if (from.empty()) return;
  if (into.empty() || from_t > into_t || (from_t == into_t && from > into)) into = from;
}

}  // namespace

std::string canonical_ip(const std::string& s) {
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN] = {};
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return inet_ntop(AF_INET, buf, out, sizeof out);
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return inet_ntop(AF_INET6, buf, out, sizeof out);
  return {};
}

nlohmann::ordered_json to_json(const AssetRecord& a) {
  using json = nlohmann::ordered_json;
  json names = json::array();
  for (const auto& h : a.hostnames) names.push_back({{"name", h.name}, {"sources", h.sources}});
  json services = json::array();
  for (const auto& s : a.services) services.push_back(service_json(s));
  json hints = json::array();
  for (const auto& h : a.os_hints)
    hints.push_back({{"source", h.source}, {"value", h.value}, {"evidence", h.evidence}});
  return json{{"schema_version", a.schema_version},
              {"tenant", a.tenant},
              {"sensor", a.sensor},
              {"ip", a.ip},
              {"mac", a.mac},
              {"hostnames", std::move(names)},
              {"services", std::move(services)},
              {"os_hints", std::move(hints)},
              {"first_seen", ts(a.first_seen)},
              {"last_seen", ts(a.last_seen)}};
}

Result<AssetRecord> asset_from_json(const json& j) {
  if (!j.is_object()) return Error{"", "an asset record must be a JSON object"};
  AssetRecord a;
  auto sv = j.find("schema_version");
  if (sv == j.end() || !sv->is_number_integer())
    return Error{"", "missing integer \"schema_version\""};
  a.schema_version = sv->get<int>();
  if (a.schema_version != kAssetSchemaVersion)
    return Error{"", "unsupported asset schema_version " + std::to_string(a.schema_version) +
                         " (this vigil reads " + std::to_string(kAssetSchemaVersion) + ")"};
  Reader r{j, {}};
  a.tenant = r.str("tenant");
  a.sensor = r.str("sensor");
  const std::string ip = r.str("ip", true);
  a.mac = lower(r.str("mac"));
  a.first_seen = r.time("first_seen");
  a.last_seen = r.time("last_seen");
  if (!r.err.empty()) return Error{"", r.err};
  a.ip = canonical_ip(ip);
  if (a.ip.empty()) return Error{"", "\"ip\": not an IP address: '" + ip + "'"};
  if (!a.mac.empty() && !valid_mac(a.mac))
    return Error{"", "\"mac\": not a MAC address (aa:bb:cc:dd:ee:ff): '" + a.mac + "'"};

  auto array = [&](const char* key, std::size_t cap) -> Result<const json*> {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return static_cast<const json*>(nullptr);
    if (!it->is_array()) return Error{"", std::string("\"") + key + "\" must be an array"};
    if (it->size() > cap)
      return Error{"",
                   std::string("\"") + key + "\": more than " + std::to_string(cap) + " entries"};
    return &*it;
  };
  auto names = array("hostnames", kMaxAssetHostnames);
  if (!names) return names.error();
  if (*names)
    for (const auto& h : **names) {
      if (!h.is_object()) return Error{"", "hostnames[]: each entry must be an object"};
      Reader hr{h, {}};
      AssetHostname n{lower(hr.str("name", true)), {}};
      if (!hr.err.empty()) return Error{"", "hostnames[]: " + hr.err};
      auto src = h.find("sources");
      if (src != h.end() && src->is_array())
        for (const auto& s : *src)
          if (s.is_string() && n.sources.size() < 16) n.sources.push_back(s.get<std::string>());
      std::sort(n.sources.begin(), n.sources.end());
      n.sources.erase(std::unique(n.sources.begin(), n.sources.end()), n.sources.end());
      a.hostnames.push_back(std::move(n));
    }
  auto services = array("services", kMaxAssetServices);
  if (!services) return services.error();
  if (*services)
    for (const auto& s : **services) {
      auto svc = service_from_json(s);
      if (!svc) return svc.error();
      a.services.push_back(std::move(*svc));
    }
  auto hints = array("os_hints", kMaxAssetHints);
  if (!hints) return hints.error();
  if (*hints)
    for (const auto& h : **hints) {
      if (!h.is_object()) return Error{"", "os_hints[]: each entry must be an object"};
      Reader hr{h, {}};
      AssetOsHint o{hr.str("source", true), hr.str("value", true), hr.str("evidence")};
      if (!hr.err.empty()) return Error{"", "os_hints[]: " + hr.err};
      a.os_hints.push_back(std::move(o));
    }
  // Normalise through a merge into an empty record: sorted, duplicates folded.
  AssetRecord out;
  out.schema_version = a.schema_version;
  out.tenant = a.tenant;
  out.sensor = a.sensor;
  out.ip = a.ip;
  out.first_seen = a.first_seen;
  out.last_seen = a.last_seen;
  merge_asset(out, a);
  return out;
}

void merge_asset(AssetRecord& into, const AssetRecord& from) {
  const bool from_newer = from.last_seen > into.last_seen;
  take_newer(into.mac, into.last_seen, from.mac, from.last_seen);
  take_newer(into.sensor, into.last_seen, from.sensor, from.last_seen);

  for (const auto& h : from.hostnames) {
    auto it = std::find_if(into.hostnames.begin(), into.hostnames.end(),
                           [&](const AssetHostname& x) { return x.name == h.name; });
    if (it == into.hostnames.end()) {
      if (into.hostnames.size() >= kMaxAssetHostnames) continue;
      into.hostnames.push_back({h.name, {}});
      it = std::prev(into.hostnames.end());
    }
    for (const auto& s : h.sources)
      if (std::find(it->sources.begin(), it->sources.end(), s) == it->sources.end())
        it->sources.push_back(s);
    std::sort(it->sources.begin(), it->sources.end());
  }
  sort_by(into.hostnames, [](const AssetHostname& h) { return h.name; });

  for (const auto& s : from.services) {
    auto it = std::find_if(into.services.begin(), into.services.end(),
                           [&](const AssetService& x) { return service_key(x) == service_key(s); });
    if (it == into.services.end()) {
      if (into.services.size() < kMaxAssetServices) into.services.push_back(s);
      continue;
    }
    take_newer(it->protocol, it->last_seen, s.protocol, s.last_seen);
    take_newer(it->software, it->last_seen, s.software, s.last_seen);
    take_newer(it->banner, it->last_seen, s.banner, s.last_seen);
    take_newer(it->cert_subject, it->last_seen, s.cert_subject, s.last_seen);
    it->first_seen = std::min(it->first_seen, s.first_seen);
    it->last_seen = std::max(it->last_seen, s.last_seen);
  }
  sort_by(into.services, [](const AssetService& s) { return service_key(s); });

  for (const auto& h : from.os_hints) {
    auto it = std::find_if(into.os_hints.begin(), into.os_hints.end(), [&](const AssetOsHint& x) {
      return x.source == h.source && x.value == h.value;
    });
    if (it == into.os_hints.end()) {
      if (into.os_hints.size() < kMaxAssetHints) into.os_hints.push_back(h);
    } else if (from_newer) {
      it->evidence = h.evidence;
    }
  }
  sort_by(into.os_hints, [](const AssetOsHint& h) { return std::tie(h.source, h.value); });

  into.first_seen = std::min(into.first_seen, from.first_seen);
  into.last_seen = std::max(into.last_seen, from.last_seen);
}

}  // namespace vigil::core

#include "sensor/engine/config_file.h"

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>

namespace vigil::sensor {

Result<std::uint64_t> parse_size(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0 || i > 15) return Error{"", "invalid size '" + s + "'"};
  std::uint64_t v = std::stoull(s.substr(0, i));
  std::string unit = s.substr(i);
  for (char& c : unit) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (unit.empty() || unit == "b") return v;
  if (unit == "k" || unit == "kb" || unit == "kib") return v << 10;
  if (unit == "m" || unit == "mb" || unit == "mib") return v << 20;
  if (unit == "g" || unit == "gb" || unit == "gib") return v << 30;
  return Error{"", "invalid size unit in '" + s + "'"};
}

Result<std::int64_t> parse_duration(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0 || i > 12) return Error{"", "invalid duration '" + s + "'"};
  std::int64_t v = std::stoll(s.substr(0, i));
  std::string unit = s.substr(i);
  if (unit.empty() || unit == "s") return v;
  if (unit == "m") return v * 60;
  if (unit == "h") return v * 3600;
  if (unit == "d") return v * 86400;
  return Error{"", "invalid duration unit in '" + s + "'"};
}

Status load_config_file(const std::string& path, SensorConfig& cfg) {
  std::ifstream in(path);
  if (!in) return Error{path, "cannot open config file"};
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false, true);
  if (j.is_discarded() || !j.is_object()) return Error{path, "not a JSON object"};
  if (!j.contains("sensor")) return ok_status();
  const nlohmann::json& s = j["sensor"];
  if (!s.is_object()) return Error{path, "\"sensor\" must be an object"};
  auto num = [&](const nlohmann::json& v, const std::string& key) -> Result<std::uint64_t> {
    if (v.is_number_unsigned()) return v.get<std::uint64_t>();
    if (v.is_string()) {
      auto r = parse_size(v.get<std::string>());
      if (!r) return Error{path, "sensor." + key + ": " + r.error().what};
      return r;
    }
    return Error{path, "sensor." + key + ": expected a number or size string"};
  };
  for (auto& [key, v] : s.items()) {
    if (key == "vlan_in_key") {
      if (!v.is_boolean()) return Error{path, "sensor.vlan_in_key: expected true/false"};
      cfg.flow.vlan_in_key = v.get<bool>();
      continue;
    }
    if (key == "emit_flows") {
      if (!v.is_boolean()) return Error{path, "sensor.emit_flows: expected true/false"};
      cfg.emit_flows = v.get<bool>();
      continue;
    }
    if (key == "timeouts") {
      if (!v.is_object()) return Error{path, "sensor.timeouts: expected an object"};
      for (auto& [tk, tv] : v.items()) {
        if (!tv.is_number_unsigned()) return Error{path, "sensor.timeouts." + tk + ": seconds"};
        std::int64_t us = std::int64_t(tv.get<std::uint64_t>()) * 1'000'000;
        if (tk == "tcp_new")
          cfg.flow.tcp_new_timeout_us = us;
        else if (tk == "tcp_established")
          cfg.flow.tcp_est_timeout_us = us;
        else if (tk == "tcp_closed")
          cfg.flow.tcp_closed_timeout_us = us;
        else if (tk == "udp")
          cfg.flow.udp_timeout_us = us;
        else if (tk == "other")
          cfg.flow.other_timeout_us = us;
        else if (tk == "defrag")
          cfg.defrag.timeout_us = us;
        else
          return Error{path, "sensor.timeouts: unknown key '" + tk + "'"};
      }
      continue;
    }
    auto n = num(v, key);
    if (!n) return n.error();
    if (key == "max_flows")
      cfg.flow.max_flows = std::max<std::uint64_t>(1, *n);
    else if (key == "stream_depth")
      cfg.stream.depth = *n;
    else if (key == "stream_memcap")
      cfg.stream.memcap = *n;
    else if (key == "defrag_memcap")
      cfg.defrag.memcap = *n;
    else if (key == "http_body_cap")
      cfg.http_body.body_cap = *n;
    else
      return Error{path, "sensor: unknown key '" + key + "'"};
  }
  return ok_status();
}

}  // namespace vigil::sensor

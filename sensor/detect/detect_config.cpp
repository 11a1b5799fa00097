#include "sensor/detect/detect_config.h"

#include <arpa/inet.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "sensor/detect/detector.h"
#include "sensor/engine/config_file.h"

namespace vigil::sensor::detect {

namespace {

using nlohmann::json;
using Setter = std::function<Status(const json&, const std::string& key)>;

// One object's keys -> setters; anything else is refused by name.
Status apply(const std::string& path, const std::string& where, const json& obj,
             const std::map<std::string, Setter>& keys) {
  if (!obj.is_object()) return Error{path, where + ": expected an object"};
  for (auto& [k, v] : obj.items()) {
    auto it = keys.find(k);
    if (it == keys.end()) return Error{path, where + ": unknown key '" + k + "'"};
    if (auto st = it->second(v, where + "." + k); !st) return Error{path, st.error().what};
  }
  return ok_status();
}

template <typename T>
Setter count(T& out) {
  return [&out](const json& v, const std::string& key) -> Status {
    if (!v.is_number_unsigned()) return Error{"", key + ": expected a non-negative integer"};
    out = T(v.get<std::uint64_t>());
    return ok_status();
  };
}

Setter size(std::uint64_t& out) {
  return [&out](const json& v, const std::string& key) -> Status {
    if (v.is_number_unsigned()) {
      out = v.get<std::uint64_t>();
      return ok_status();
    }
    if (!v.is_string()) return Error{"", key + ": expected a size (\"256KiB\")"};
    auto r = parse_size(v.get<std::string>());
    if (!r) return Error{"", key + ": " + r.error().what};
    out = *r;
    return ok_status();
  };
}

Setter seconds(std::int64_t& out_us) {
  return [&out_us](const json& v, const std::string& key) -> Status {
    std::int64_t s = 0;
    if (v.is_number_unsigned()) {
      s = std::int64_t(v.get<std::uint64_t>());
    } else if (v.is_string()) {
      auto r = parse_duration(v.get<std::string>());
      if (!r) return Error{"", key + ": " + r.error().what};
      s = *r;
    } else {
      return Error{"", key + ": expected seconds or a duration (\"5m\")"};
    }
    out_us = s * 1'000'000;
    return ok_status();
  };
}

Setter real(double& out) {
  return [&out](const json& v, const std::string& key) -> Status {
    if (!v.is_number()) return Error{"", key + ": expected a number"};
    out = v.get<double>();
    return ok_status();
  };
}

Status parse_allow(const std::string& path, const json& arr, std::vector<AllowEntry>& out) {
  if (!arr.is_array()) return Error{path, "detect.allow: expected an array"};
  for (std::size_t i = 0; i < arr.size(); ++i) {
    AllowEntry e;
    std::string where = "detect.allow[" + std::to_string(i) + "]";
    auto str = [](std::string& s) -> Setter {
      return [&s](const json& v, const std::string& key) -> Status {
        if (!v.is_string()) return Error{"", key + ": expected a string"};
        s = v.get<std::string>();
        return ok_status();
      };
    };
    std::map<std::string, Setter> keys{
        {"tenant", str(e.tenant)},
        {"ip", str(e.ip)},
        {"reason", str(e.reason)},
        {"port", count(e.port)},
        {"types", [&e](const json& in, const std::string& key) -> Status {
           json v = in.is_string() ? json::array({in}) : in;
           if (!v.is_array()) return Error{"", key + ": expected type prefixes"};
           for (const auto& t : v) {
             if (!t.is_string()) return Error{"", key + ": expected strings"};
             e.types.push_back(t.get<std::string>());
           }
           return ok_status();
         }}};
    keys["type"] = keys["types"];
    if (auto st = apply(path, where, arr[i], keys); !st) return st;
    if (!e.ip.empty() && !ip_matches(e.ip.substr(0, e.ip.find('/')), e.ip))
      return Error{path, where + ".ip: not an address or CIDR: '" + e.ip + "'"};
    out.push_back(std::move(e));
  }
  return ok_status();
}

}  // namespace

bool ip_matches(const std::string& ip, const std::string& spec) {
  std::string net = spec;
  int bits = -1;
  if (auto slash = spec.find('/'); slash != std::string::npos) {
    net = spec.substr(0, slash);
    bits = std::atoi(spec.c_str() + slash + 1);
  }
  unsigned char a[16] = {}, b[16] = {};
  int fam = net.find(':') != std::string::npos ? AF_INET6 : AF_INET;
  int len = fam == AF_INET6 ? 16 : 4;
  if (inet_pton(fam, net.c_str(), b) != 1 || inet_pton(fam, ip.c_str(), a) != 1) return false;
  if (bits < 0 || bits > len * 8) bits = len * 8;
  int full = bits / 8, rest = bits % 8;
  if (std::memcmp(a, b, full) != 0) return false;
  if (!rest) return true;
  unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

Status load_detect_config(const std::string& path, DetectConfig& cfg) {
  std::ifstream in(path);
  if (!in) return Error{path, "cannot open config file"};
  json j = json::parse(in, nullptr, false, true);
  if (j.is_discarded() || !j.is_object()) return Error{path, "not a JSON object"};
  if (!j.contains("detect")) return ok_status();
  ScanConfig& s = cfg.scan;
  DnsConfig& d = cfg.dns;
  YaraConfig& y = cfg.yara;
  std::map<std::string, Setter> scan{{"window", seconds(s.window_us)},
                                     {"min_targets", count(s.min_targets)},
                                     {"max_sources", count(s.max_sources)},
                                     {"max_probes", count(s.max_probes)}};
  std::map<std::string, Setter> dns{{"min_label_length", count(d.min_label_length)},
                                    {"min_entropy", real(d.min_entropy)},
                                    {"tunnel_min_queries", count(d.tunnel_min_queries)},
                                    {"unique_names", count(d.unique_names)},
                                    {"nxdomain_min", count(d.nxdomain_min)},
                                    {"nxdomain_window", seconds(d.nxdomain_window_us)},
                                    {"max_domains", count(d.max_domains)},
                                    {"max_names", count(d.max_names)}};
  std::map<std::string, Setter> yara{{"depth", size(y.depth)},
                                     {"buffer", size(y.buffer)},
                                     {"overlap", size(y.overlap)},
                                     {"memcap", size(y.memcap)},
                                     {"timeout", count(y.timeout_s)}};
  std::map<std::string, Setter> top{
      {"scan", [&](const json& v, const std::string& k) { return apply(path, k, v, scan); }},
      {"dns", [&](const json& v, const std::string& k) { return apply(path, k, v, dns); }},
      {"yara", [&](const json& v, const std::string& k) { return apply(path, k, v, yara); }},
      {"allow", [&](const json& v, const std::string&) { return parse_allow(path, v, cfg.allow); }},
      {"max_assets", count(cfg.max_assets)},
      {"max_findings", count(cfg.max_findings)},
      {"disable", [&](const json& v, const std::string& k) -> Status {
         if (!v.is_array()) return Error{"", k + ": expected detector names"};
         for (const auto& n : v) {
           if (!n.is_string() || !find_detector(n.get<std::string>()))
             return Error{"", k + ": unknown detector " + n.dump() + " (see docs/detections.md)"};
           cfg.disabled.insert(n.get<std::string>());
         }
         return ok_status();
       }}};
  if (auto st = apply(path, "detect", j["detect"], top); !st) return st;
  if (y.overlap >= y.buffer) return Error{path, "detect.yara.overlap must be below buffer"};
  if (s.min_targets < 2) return Error{path, "detect.scan.min_targets must be at least 2"};
  return ok_status();
}

}  // namespace vigil::sensor::detect

#include "sensor/output/emitter.h"

#include <cstdio>

#include "sensor/flow/community_id.h"

namespace vigil::sensor {

// Civil date from days since 1970-01-01 (H. Hinnant's algorithm): no gmtime_r,
// which takes the timezone lock on every call.
std::string format_ts(std::int64_t ts_us) {
  std::int64_t secs = ts_us / 1'000'000;
  std::int64_t usec = ts_us % 1'000'000;
  if (usec < 0) {
    usec += 1'000'000;
    --secs;
  }
  std::int64_t days = secs / 86400, sod = secs % 86400;
  if (sod < 0) {
    sod += 86400;
    --days;
  }
  std::int64_t z = days + 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%06lldZ", (long long)y,
                (long long)m, (long long)d, (long long)(sod / 3600), (long long)(sod / 60 % 60),
                (long long)(sod % 60), (long long)usec);
  return buf;
}

std::string_view proto_name(std::uint8_t proto) {
  switch (proto) {
    case kProtoTCP:
      return "TCP";
    case kProtoUDP:
      return "UDP";
    case kProtoICMP:
      return "ICMP";
    case kProtoICMPv6:
      return "IPv6-ICMP";
    case kProtoGRE:
      return "GRE";
    case 50:
      return "ESP";
    case 132:
      return "SCTP";
    default:
      return "";
  }
}

std::string flow_community_id(const Flow& f) {
  if (f.proto == kProtoICMP || f.proto == kProtoICMPv6)
    return community_id_v1(f.cli, f.srv, f.proto, f.icmp_type, f.icmp_code);
  return community_id_v1(f.cli, f.srv, f.proto, f.cport, f.sport);
}

Json Emitter::begin(const Flow& f, std::string_view type, std::int64_t ts_us) {
  Json ev;
  ev["timestamp"] = format_ts(ts_us);
  ev["event_type"] = type;
  ev["tenant"] = id_.tenant;
  ev["sensor_name"] = id_.sensor_name;
  ev["flow_id"] = f.id;
  ev["src_ip"] = f.cli.str();
  bool ports = f.proto == kProtoTCP || f.proto == kProtoUDP;
  if (ports) ev["src_port"] = f.cport;
  ev["dest_ip"] = f.srv.str();
  if (ports) ev["dest_port"] = f.sport;
  std::string_view pn = proto_name(f.proto);
  if (pn.empty())
    ev["proto"] = std::to_string(f.proto);
  else
    ev["proto"] = pn;
  if (f.vlan_count) {
    Json v = Json::array();
    for (int i = 0; i < f.vlan_count; ++i) v.push_back(f.vlan[i]);
    ev["vlan"] = v;
  }
  ev["community_id"] = flow_community_id(f);
  if (!f.app_proto.empty()) ev["app_proto"] = f.app_proto;
  return ev;
}

void Emitter::emit(const Json& event) {
  c_.inc(Counter::events);
  if (observer_) observer_(event);
  sink_.write(event);
}

}  // namespace vigil::sensor

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
  // Digits written by hand: snprintf is measurable at three stamps per flow.
  char buf[48];
  char* p = buf;
  auto put = [&p](std::int64_t v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10) p[i] = char('0' + v % 10);
    p += width;
  };
  if (y < 0 || y > 9999) {  // outside what 4 digits hold: the generic way
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%06lldZ",
                  (long long)y, (long long)m, (long long)d, (long long)(sod / 3600),
                  (long long)(sod / 60 % 60), (long long)(sod % 60), (long long)usec);
    return buf;
  }
  put(y, 4);
  *p++ = '-';
  put(m, 2);
  *p++ = '-';
  put(d, 2);
  *p++ = 'T';
  put(sod / 3600, 2);
  *p++ = ':';
  put(sod / 60 % 60, 2);
  *p++ = ':';
  put(sod % 60, 2);
  *p++ = '.';
  put(usec, 6);
  *p++ = 'Z';
  return std::string(buf, p);
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

// Built by appending to the object's vector: `ev[key] = v` searches the keys
// already there first, and the envelope is on every event.
Json Emitter::begin(const Flow& f, std::string_view type, std::int64_t ts_us) {
  Json ev(Json::value_t::object);
  Json::object_t& o = ev.get_ref<Json::object_t&>();
  o.reserve(16);  // the envelope and the analyser's object without regrowing
  o.emplace_back("timestamp", format_ts(ts_us));
  o.emplace_back("event_type", type);
  o.emplace_back("tenant", id_.tenant);
  o.emplace_back("sensor_name", id_.sensor_name);
  o.emplace_back("flow_id", f.id);
  o.emplace_back("src_ip", f.cli.str());
  bool ports = f.proto == kProtoTCP || f.proto == kProtoUDP;
  if (ports) o.emplace_back("src_port", f.cport);
  o.emplace_back("dest_ip", f.srv.str());
  if (ports) o.emplace_back("dest_port", f.sport);
  std::string_view pn = proto_name(f.proto);
  if (pn.empty())
    o.emplace_back("proto", std::to_string(f.proto));
  else
    o.emplace_back("proto", pn);
  if (f.vlan_count) {
    Json v = Json::array();
    for (int i = 0; i < f.vlan_count; ++i) v.push_back(f.vlan[i]);
    o.emplace_back("vlan", std::move(v));
  }
  o.emplace_back("community_id", flow_community_id(f));
  if (!f.app_proto.empty()) o.emplace_back("app_proto", f.app_proto);
  return ev;
}

void Emitter::emit(const Json& event) {
  c_.inc(Counter::events);
  if (observer_) observer_(event);
  sink_.write(event);
}

}  // namespace vigil::sensor

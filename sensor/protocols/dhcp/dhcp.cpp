// DHCP (BOOTP with the magic cookie, RFC 2131/2132): one `dhcp` event per
// message with client MAC, message type, requested/assigned IP, hostname and
// vendor class, the facts passive asset inventory needs.
#include <arpa/inet.h>

#include <cstdio>

#include "sensor/protocols/analyzer.h"
#include "sensor/protocols/common/line_buffer.h"

namespace vigil::sensor {

namespace {

std::string ip4(Bytes b) {
  char buf[INET_ADDRSTRLEN] = {};
  if (b.size() == 4) inet_ntop(AF_INET, b.data(), buf, sizeof buf);
  return buf;
}

const char* msg_type(std::uint8_t t) {
  static const char* names[] = {"",    "discover", "offer",   "request", "decline",
                                "ack", "nak",      "release", "inform"};
  return t < 9 ? names[t] : "unknown";
}

class DhcpAnalyzer : public Analyzer {
 public:
  using Analyzer::Analyzer;

  void on_data(Dir, Bytes data, std::int64_t ts) override {
    Reader r(data);
    std::uint8_t op = r.u8();
    std::uint8_t htype = r.u8();
    std::uint8_t hlen = r.u8();
    r.skip(1);
    std::uint32_t xid = r.u32();
    r.skip(4);  // secs, flags
    Bytes ciaddr = r.bytes(4), yiaddr = r.bytes(4);
    r.skip(8);  // siaddr, giaddr
    Bytes chaddr = r.bytes(16);
    r.skip(64 + 128);
    std::uint32_t cookie = r.u32();
    if (!r.ok() || cookie != 0x63825363) {
      counters().inc(Counter::dhcp_malformed);
      return;
    }
    Json d;
    d["type"] = op == 1 ? "request" : "reply";
    d["id"] = xid;
    if (htype == 1 && hlen == 6) {
      char mac[18];
      std::snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", chaddr[0], chaddr[1],
                    chaddr[2], chaddr[3], chaddr[4], chaddr[5]);
      d["client_mac"] = mac;
    }
    std::string ci = ip4(ciaddr), yi = ip4(yiaddr);
    if (ci != "0.0.0.0") d["client_ip"] = ci;
    if (yi != "0.0.0.0") d["assigned_ip"] = yi;
    while (r.remaining()) {
      std::uint8_t code = r.u8();
      if (code == 0) continue;
      if (code == 255) break;
      Bytes v = r.bytes(r.u8());
      if (!r.ok()) {
        counters().inc(Counter::dhcp_malformed);
        break;
      }
      switch (code) {
        case 53:
          if (v.size() == 1) d["dhcp_type"] = msg_type(v[0]);
          break;
        case 50:
          d["requested_ip"] = ip4(v);
          break;
        case 12:
          d["hostname"] = clean_text(as_sv(v), 255);
          break;
        case 60:
          d["vendor_class_id"] = clean_text(as_sv(v), 255);
          break;
        case 54:
          d["dhcp_server_id"] = ip4(v);
          break;
        case 51:
          if (v.size() == 4) d["lease_time"] = Reader(v).u32();
          break;
        default:
          break;
      }
    }
    Json ev = out_.begin(flow_, "dhcp", ts);
    ev["dhcp"] = d;
    out_.emit(ev);
  }
};

bool probe(const ProbeInput& in) {
  bool ports = (in.server_port == 67 || in.server_port == 68) &&
               (in.client_port == 67 || in.client_port == 68);
  Bytes d = in.data;
  return ports && d.size() >= 240 && d[236] == 0x63 && d[237] == 0x82 && d[238] == 0x53 &&
         d[239] == 0x63;
}

std::unique_ptr<Analyzer> make(Flow& f, Emitter& e) {
  return std::make_unique<DhcpAnalyzer>(f, e);
}

}  // namespace

extern const AnalyzerInfo kAnalyzer_dhcp{"dhcp", false, true, probe, make};

}  // namespace vigil::sensor

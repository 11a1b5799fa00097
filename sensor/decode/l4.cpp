// Transport headers: TCP, UDP, ICMP/ICMPv6.
#include "sensor/decode/decoder.h"

namespace vigil::sensor {

bool Decoder::tcp(Bytes data, Packet& p) {
  Reader r(data);
  p.sport = r.u16();
  p.dport = r.u16();
  p.seq = r.u32();
  p.ack = r.u32();
  std::uint8_t off = r.u8();
  p.tcp_flags = r.u8();
  p.window = r.u16();
  r.skip(4);  // checksum, urgent pointer
  if (!r.ok()) {
    c_->inc(Counter::tcp_truncated);
    return true;  // IP is known; no ports
  }
  std::size_t hlen = std::size_t(off >> 4) * 4;
  if (hlen < 20) {
    c_->inc(Counter::tcp_bad_offset);
    return true;
  }
  if (hlen > data.size()) {
    c_->inc(Counter::tcp_truncated);
    return true;
  }
  // Options are walked for validity only; the stream engine needs none of them
  // (no window scaling checks: we follow data, not windows).
  Reader o(data.subspan(20, hlen - 20));
  while (o.remaining()) {
    std::uint8_t kind = o.u8();
    if (kind == 0) break;
    if (kind == 1) continue;
    std::uint8_t len = o.u8();
    if (!o.ok() || len < 2 || !o.has(len - 2u)) {
      c_->inc(Counter::tcp_opt_malformed);
      break;
    }
    o.skip(len - 2u);
  }
  p.has_l4 = true;
  p.payload = data.subspan(hlen);
  return true;
}

bool Decoder::udp(Bytes data, Packet& p) {
  Reader r(data);
  p.sport = r.u16();
  p.dport = r.u16();
  std::uint16_t len = r.u16();
  r.skip(2);
  if (!r.ok()) {
    c_->inc(Counter::udp_truncated);
    return true;
  }
  Bytes body = r.rest();
  if (len < 8) {
    c_->inc(Counter::udp_bad_len);
  } else if (len - 8u <= body.size()) {
    body = body.first(len - 8u);
  } else {
    c_->inc(Counter::udp_truncated);
  }
  p.has_l4 = true;
  p.payload = body;
  if (p.dport == 4789 && p.tunnel_depth < 3) return vxlan(body, p);
  return true;
}

bool Decoder::icmp(Bytes data, Packet& p, bool v6) {
  Reader r(data);
  p.icmp_type = r.u8();
  p.icmp_code = r.u8();
  r.skip(2);
  if (!r.ok()) {
    c_->inc(v6 ? Counter::icmpv6_truncated : Counter::icmp_truncated);
    return true;
  }
  p.sport = p.icmp_type;
  p.dport = p.icmp_code;
  p.has_l4 = true;
  p.payload = r.rest();
  return true;
}

}  // namespace vigil::sensor

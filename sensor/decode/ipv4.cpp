// IPv4 with options (validated, not interpreted) and fragment hand-off.
#include "sensor/decode/decoder.h"

namespace vigil::sensor {

namespace {
// Walks the option TLVs so that a malformed list is counted; we keep nothing
// from them (no flow-relevant option exists), but a broken one is an IDS signal.
bool options_valid(Bytes opts) {
  Reader r(opts);
  while (r.remaining()) {
    std::uint8_t type = r.u8();
    if (type == 0) return true;  // end of list
    if (type == 1) continue;     // NOP
    std::uint8_t len = r.u8();
    if (!r.ok() || len < 2) return false;
    r.skip(len - 2);
    if (!r.ok()) return false;
  }
  return true;
}
}  // namespace

bool Decoder::ipv4(Bytes data, Packet& p) {
  Reader r(data);
  std::uint8_t vihl = r.u8();
  r.skip(1);  // TOS
  std::uint16_t total = r.u16();
  std::uint16_t id = r.u16();
  std::uint16_t frag = r.u16();
  std::uint8_t ttl = r.u8();
  std::uint8_t proto = r.u8();
  r.skip(2);  // checksum: offloading makes it wrong on capture hosts, so not verified
  Bytes src = r.bytes(4), dst = r.bytes(4);
  if (!r.ok()) {
    c_->inc(Counter::ipv4_truncated);
    return false;
  }
  if ((vihl >> 4) != 4) {
    c_->inc(Counter::ipv4_bad_version);
    return false;
  }
  std::size_t hlen = std::size_t(vihl & 0x0f) * 4;
  if (hlen < 20 || hlen > total) {
    c_->inc(Counter::ipv4_bad_hlen);
    return false;
  }
  if (hlen > data.size()) {
    c_->inc(Counter::ipv4_truncated);
    return false;
  }
  if (hlen > 20 && !options_valid(data.subspan(20, hlen - 20)))
    c_->inc(Counter::ipv4_opt_malformed);
  // Frames are padded (Ethernet minimum) or cut (snaplen): trust the smaller.
  std::size_t end = total;
  if (total > data.size()) {
    if (total > p.wirelen)
      c_->inc(Counter::ipv4_bad_total_len);
    else
      c_->inc(Counter::ipv4_truncated);
    end = data.size();
  }
  p.ip_version = 4;
  p.src.set(src);
  p.dst.set(dst);
  p.proto = proto;
  p.ttl = ttl;
  Bytes body = data.subspan(hlen, end - hlen);

  std::uint32_t offset = std::uint32_t(frag & 0x1fff) * 8;
  bool more = frag & 0x2000;
  if (offset || more) {
    if (total > data.size()) {  // a cut fragment can never be reassembled correctly
      c_->inc(Counter::ipv4_frag_bad);
      p.fragment_held = true;
      return true;
    }
    Bytes whole;
    if (!defrag_.add(p.src, p.dst, id, proto, offset, more, body, p.ts_us, counting(), whole)) {
      p.fragment_held = true;
      return true;
    }
    return reassembled(proto, whole, p);
  }
  return transport(proto, body, p);
}

bool Decoder::transport(std::uint8_t proto, Bytes data, Packet& p) {
  p.proto = proto;
  switch (proto) {
    case kProtoTCP:
      return tcp(data, p);
    case kProtoUDP:
      return udp(data, p);
    case kProtoICMP:
      return icmp(data, p, false);
    case kProtoICMPv6:
      return icmp(data, p, true);
    case kProtoGRE:
      return gre(data, p);
    case 4:  // IP in IP
      if (!enter_tunnel(p)) return true;
      return ipv4(data, p);
    case 41:  // IPv6 in IP
      if (!enter_tunnel(p)) return true;
      return ipv6(data, p);
    default:
      c_->inc(Counter::ip_other_proto);
      return true;  // still an IP packet: counted as a flow without ports
  }
}

}  // namespace vigil::sensor

// Entry point: picks the first layer from the capture's link type.
#include "sensor/decode/decoder.h"

#include "sensor/decode/shard.h"

namespace vigil::sensor {

bool link_type_supported(int dlt) {
  switch (dlt) {
    case kDltNull:
    case kDltEthernet:
    case kDltRaw:
    case kDltRawAlt:
    case kDltLoop:
    case kDltLinuxSll:
    case kDltRawLinktype:
    case kDltIPv4:
    case kDltIPv6:
    case kDltLinuxSll2:
      return true;
    default:
      return false;
  }
}

bool Decoder::decode(int dlt, std::int64_t ts_us, Bytes frame, std::uint32_t wirelen, Packet& p,
                     bool counted) {
  c_ = counted ? &counters_ : &uncounted_;
  p = Packet{};
  p.ts_us = ts_us;
  p.caplen = std::uint32_t(frame.size());
  p.wirelen = wirelen;
  c_->inc(Counter::packets);
  c_->inc(Counter::bytes, wirelen);
  switch (dlt) {
    case kDltEthernet:
      return ethernet(frame, p);
    case kDltLinuxSll:
      return sll(frame, p);
    case kDltLinuxSll2:
      return sll2(frame, p);
    case kDltNull:
      return null_loop(frame, p, false);
    case kDltLoop:
      return null_loop(frame, p, true);
    case kDltRaw:
    case kDltRawAlt:
    case kDltRawLinktype:
    case kDltIPv4:
    case kDltIPv6:
      return raw_ip(frame, p);
    default:
      c_->inc(Counter::link_unsupported);
      return false;
  }
}

bool Decoder::enter_tunnel(Packet& p) {
  if (++p.tunnel_depth > 3) {
    c_->inc(Counter::tunnel_too_deep);
    return false;
  }
  // The inner packet replaces the outer one for flow purposes.
  p.ip_version = 0;
  p.has_l4 = false;
  p.payload = {};
  return true;
}

bool Decoder::reassembled(std::uint8_t proto, Bytes whole, Packet& p) {
  // The outermost datagram is the one frame_shard() could not place.
  if (!p.defragmented) p.datagram_hash = datagram_shard_hash(p.src, p.dst, proto, whole);
  p.defragmented = true;
  return transport(proto, whole, p);
}

}  // namespace vigil::sensor

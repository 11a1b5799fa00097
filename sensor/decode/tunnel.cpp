// GRE (RFC 2784/2890) and VXLAN (RFC 7348): the inner packet is decoded and
// becomes the packet flows see, so tunnelled sessions are analysed like any other.
#include "sensor/decode/decoder.h"

namespace vigil::sensor {

bool Decoder::gre(Bytes data, Packet& p) {
  Reader r(data);
  std::uint16_t flags = r.u16();
  std::uint16_t type = r.u16();
  if (!r.ok()) {
    c_->inc(Counter::gre_truncated);
    return true;
  }
  if ((flags & 0x7) != 0) {  // version 1 = PPTP enhanced GRE: not decoded
    c_->inc(Counter::gre_unsupported);
    return true;
  }
  if (flags & 0x8000) r.skip(4);  // checksum + reserved
  if (flags & 0x2000) r.skip(4);  // key
  if (flags & 0x1000) r.skip(4);  // sequence
  if (!r.ok()) {
    c_->inc(Counter::gre_truncated);
    return true;
  }
  if (!enter_tunnel(p)) return true;
  if (type == 0x6558) return ethernet(r.rest(), p);  // transparent Ethernet bridging
  return ethertype(type, r.rest(), p);
}

bool Decoder::vxlan(Bytes data, Packet& p) {
  Reader r(data);
  std::uint8_t flags = r.u8();
  r.skip(7);
  if (!r.ok()) {
    c_->inc(Counter::vxlan_truncated);
    return true;
  }
  if (!(flags & 0x08)) return true;  // VNI flag unset: not VXLAN, keep the UDP packet
  if (!enter_tunnel(p)) return true;
  return ethernet(r.rest(), p);
}

}  // namespace vigil::sensor

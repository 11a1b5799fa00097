// Ethernet II, 802.1Q / 802.1ad (QinQ) tags and the EtherType dispatch shared
// by every link layer and by tunnels.
#include "sensor/decode/decoder.h"

#include <cstring>

namespace vigil::sensor {

bool Decoder::ethernet(Bytes data, Packet& p) {
  Reader r(data);
  r.skip(6);
  Bytes src = r.bytes(6);
  std::uint16_t type = r.u16();
  if (!r.ok()) {
    c_->inc(Counter::eth_truncated);
    return false;
  }
  if (!p.has_mac) {  // outermost frame's source MAC (asset inventory, DHCP)
    std::memcpy(p.src_mac, src.data(), 6);
    p.has_mac = true;
  }
  return ethertype(type, r.rest(), p);
}

bool Decoder::ethertype(std::uint16_t type, Bytes data, Packet& p) {
  switch (type) {
    case 0x0800:
      return ipv4(data, p);
    case 0x86dd:
      return ipv6(data, p);
    case 0x8100:
    case 0x88a8:
    case 0x9100: {
      Reader r(data);
      std::uint16_t tci = r.u16();
      std::uint16_t inner = r.u16();
      if (!r.ok()) {
        c_->inc(Counter::vlan_truncated);
        return false;
      }
      if (p.vlan_count >= 2) {
        // More than QinQ: keep decoding but only two ids are part of a flow key.
        if (p.vlan_count >= 8) {
          c_->inc(Counter::vlan_too_many);
          return false;
        }
        ++p.vlan_count;
      } else {
        p.vlan[p.vlan_count++] = tci & 0x0fff;
      }
      return ethertype(inner, r.rest(), p);
    }
    case 0x8847:
    case 0x8848:
      return mpls(data, p);
    case 0x0806:
      c_->inc(Counter::arp);
      return false;
    default:
      c_->inc(Counter::eth_other_type);
      return false;
  }
}

// MPLS label stack; the payload type after bottom-of-stack is guessed from the
// IP version nibble, like every passive decoder does (no signalling visible).
bool Decoder::mpls(Bytes data, Packet& p) {
  Reader r(data);
  for (int i = 0; i < 16; ++i) {
    std::uint32_t entry = r.u32();
    if (!r.ok()) {
      c_->inc(Counter::mpls_truncated);
      return false;
    }
    if (entry & 0x100) {  // bottom of stack
      Bytes rest = r.rest();
      if (rest.empty()) {
        c_->inc(Counter::mpls_truncated);
        return false;
      }
      std::uint8_t v = rest[0] >> 4;
      if (v == 4) return ipv4(rest, p);
      if (v == 6) return ipv6(rest, p);
      return ethernet(rest, p);  // pseudowire with Ethernet (no control word)
    }
  }
  c_->inc(Counter::mpls_too_many);
  return false;
}

}  // namespace vigil::sensor

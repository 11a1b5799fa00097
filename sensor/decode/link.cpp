// Non-Ethernet link layers: Linux cooked capture v1/v2, BSD null/loopback, raw IP.
#include "sensor/decode/decoder.h"

namespace vigil::sensor {

// SLL: 16-byte header, protocol type in the last two bytes.
bool Decoder::sll(Bytes data, Packet& p) {
  Reader r(data);
  r.skip(14);
  std::uint16_t type = r.u16();
  if (!r.ok()) {
    c_->inc(Counter::sll_truncated);
    return false;
  }
  return ethertype(type, r.rest(), p);
}

// SLL2: 20-byte header, protocol type first.
bool Decoder::sll2(Bytes data, Packet& p) {
  Reader r(data);
  std::uint16_t type = r.u16();
  r.skip(18);
  if (!r.ok()) {
    c_->inc(Counter::sll2_truncated);
    return false;
  }
  return ethertype(type, r.rest(), p);
}

// DLT_NULL stores the address family in host order of the capturing machine,
// so both byte orders are accepted; DLT_LOOP is always network order.
bool Decoder::null_loop(Bytes data, Packet& p, bool network_order) {
  Reader r(data);
  std::uint32_t fam = network_order ? r.u32() : r.u32le();
  if (!r.ok()) {
    c_->inc(Counter::null_truncated);
    return false;
  }
  if (!network_order && fam > 0xffff) fam = __builtin_bswap32(fam);
  switch (fam) {
    case 2:
      return ipv4(r.rest(), p);
    case 24:
    case 28:
    case 30:  // AF_INET6 on the BSDs and macOS
      return ipv6(r.rest(), p);
    default:
      c_->inc(Counter::null_unknown_family);
      return false;
  }
}

bool Decoder::raw_ip(Bytes data, Packet& p) {
  if (data.empty()) {
    c_->inc(Counter::ipv4_truncated);
    return false;
  }
  switch (data[0] >> 4) {
    case 4:
      return ipv4(data, p);
    case 6:
      return ipv6(data, p);
    default:
      c_->inc(Counter::raw_bad_version);
      return false;
  }
}

}  // namespace vigil::sensor

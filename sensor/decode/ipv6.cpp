// IPv6 with extension headers (hop-by-hop, routing, destination options, AH,
// fragment). ESP ends decoding: what follows is encrypted.
#include "sensor/decode/decoder.h"

namespace vigil::sensor {

namespace {

// Steps over one extension header of the generic {next header, length} shape;
// only the length unit differs between AH and the others. False if truncated.
bool skip_ext_header(std::uint8_t& next, Bytes& body) {
  Reader e(body);
  std::uint8_t nh = e.u8();
  std::size_t units = e.u8();
  std::size_t len = next == 51 ? (units + 2) * 4 : (units + 1) * 8;
  if (!e.ok() || len > body.size()) return false;
  next = nh;
  body = body.subspan(len);
  return true;
}

}  // namespace

bool Decoder::ipv6(Bytes data, Packet& p) {
  Reader r(data);
  std::uint32_t vtf = r.u32();
  std::uint16_t plen = r.u16();
  std::uint8_t next = r.u8();
  std::uint8_t hlim = r.u8();
  Bytes src = r.bytes(16), dst = r.bytes(16);
  if (!r.ok()) {
    c_->inc(Counter::ipv6_truncated);
    return false;
  }
  if ((vtf >> 28) != 6) {
    c_->inc(Counter::ipv6_bad_version);
    return false;
  }
  p.ip_version = 6;
  p.src.set(src);
  p.dst.set(dst);
  p.ttl = hlim;
  Bytes body = r.rest();
  if (plen < body.size())
    body = body.first(plen);  // Ethernet padding
  else if (plen > body.size())
    c_->inc(Counter::ipv6_truncated);

  for (int n = 0; n < 16; ++n) {
    switch (next) {
      case 0:   // hop-by-hop
      case 43:  // routing
      case 60:  // destination options: length in 8-byte units minus 1
      case 51:  // AH: length in 4-byte units minus 2 (RFC 4302)
        if (!skip_ext_header(next, body)) {
          c_->inc(Counter::ipv6_exthdr_truncated);
          return true;
        }
        continue;
      case 44: {  // fragment
        Reader e(body);
        std::uint8_t nh = e.u8();
        e.skip(1);
        std::uint16_t offm = e.u16();
        std::uint32_t id = e.u32();
        if (!e.ok()) {
          c_->inc(Counter::ipv6_frag_bad);
          return true;
        }
        std::uint32_t offset = offm & 0xfff8;
        bool more = offm & 1;
        Bytes frag = e.rest();
        p.proto = nh;
        if (!offset && !more) {  // atomic fragment (RFC 6946)
          next = nh;
          body = frag;
          continue;
        }
        if (plen + 40u > p.caplen) {
          c_->inc(Counter::ipv6_frag_bad);
          p.fragment_held = true;
          return true;
        }
        Bytes whole;
        if (!defrag_.add(p.src, p.dst, id, nh, offset, more, frag, p.ts_us, counting(), whole)) {
          p.fragment_held = true;
          return true;
        }
        return reassembled(nh, whole, p);
      }
      case 50:  // ESP
      case 59:  // no next header
        p.proto = next;
        return true;
      default:
        return transport(next, body, p);
    }
  }
  c_->inc(Counter::ipv6_exthdr_too_many);
  return true;
}

}  // namespace vigil::sensor

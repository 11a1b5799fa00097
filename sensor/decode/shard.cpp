#include "sensor/decode/shard.h"

#include "sensor/decode/decoder.h"

namespace vigil::sensor {

namespace {

std::uint64_t hash_bytes(Bytes b) {
  std::uint64_t h = 1469598103934665603ULL;
  for (std::uint8_t x : b) h = (h ^ x) * 1099511628211ULL;
  return h;
}

std::uint32_t ip_pair(Bytes ip) {
  if (ip.empty()) return 0;
  Reader r(ip);
  if ((ip[0] >> 4) == 4) {
    r.skip(12);
    Bytes a = r.bytes(4), b = r.bytes(4);
    if (!r.ok()) return 0;
    return std::uint32_t((hash_bytes(a) + hash_bytes(b)) >> 16);  // + is symmetric
  }
  if ((ip[0] >> 4) == 6) {
    r.skip(8);
    Bytes a = r.bytes(16), b = r.bytes(16);
    if (!r.ok()) return 0;
    return std::uint32_t((hash_bytes(a) + hash_bytes(b)) >> 16);
  }
  return 0;
}

std::uint32_t after_ethertype(std::uint16_t type, Reader r) {
  for (int i = 0; i < 8; ++i) {
    if (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
      r.skip(2);
      type = r.u16();
      if (!r.ok()) return 0;
      continue;
    }
    if (type == 0x8847 || type == 0x8848) {
      for (int n = 0; n < 16; ++n) {
        std::uint32_t e = r.u32();
        if (!r.ok()) return 0;
        if (e & 0x100) return ip_pair(r.rest());
      }
      return 0;
    }
    if (type == 0x0800 || type == 0x86dd) return ip_pair(r.rest());
    return 0;
  }
  return 0;
}

}  // namespace

std::uint32_t shard_hash(int dlt, Bytes frame) {
  Reader r(frame);
  switch (dlt) {
    case kDltEthernet: {
      r.skip(12);
      std::uint16_t t = r.u16();
      return r.ok() ? after_ethertype(t, r) : 0;
    }
    case kDltLinuxSll: {
      r.skip(14);
      std::uint16_t t = r.u16();
      return r.ok() ? after_ethertype(t, r) : 0;
    }
    case kDltLinuxSll2: {
      std::uint16_t t = r.u16();
      r.skip(18);
      return r.ok() ? after_ethertype(t, r) : 0;
    }
    case kDltNull:
    case kDltLoop:
      r.skip(4);
      return ip_pair(r.rest());
    default:
      return ip_pair(frame);
  }
}

}  // namespace vigil::sensor

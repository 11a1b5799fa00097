#include "sensor/decode/shard.h"

#include <cstring>

#include "sensor/decode/decoder.h"

namespace vigil::sensor {

namespace {

// murmur3's 64-bit finaliser: every input bit reaches the low bits used for
// the worker index.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

std::uint64_t load64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Word loads, not a byte loop: the hash runs once per packet on the path
// every --threads worker waits for (capture/mapped_walkers.h).
std::uint64_t endpoint(Bytes addr, std::uint16_t port) {
  std::uint64_t w;
  if (addr.size() == 16) {
    w = load64(addr.data()) ^ mix(load64(addr.data() + 8));
  } else {
    std::uint32_t v4;
    std::memcpy(&v4, addr.data(), 4);
    w = v4;
  }
  return mix(w ^ (std::uint64_t(port) << 32) ^ (std::uint64_t(addr.size()) << 56));
}

// Symmetric: the two endpoints' hashes are added, then mixed again.
std::uint32_t pair_hash(Bytes a, Bytes b, std::uint16_t pa, std::uint16_t pb) {
  return std::uint32_t(mix(endpoint(a, pa) + endpoint(b, pb)));
}

// The one sharding rule, for a whole packet and for a reassembled datagram
// alike: TCP hashes the address pair and the ports (when its header is
// there), anything else the address pair only.
std::uint32_t transport_hash(Bytes a, Bytes b, std::uint8_t proto, Reader l4) {
  std::uint16_t sp = 0, dp = 0;
  if (proto == 6) {
    sp = l4.u16();
    dp = l4.u16();
    if (!l4.ok()) sp = dp = 0;
  }
  return pair_hash(a, b, sp, dp);
}

// `tcp_fragment` is set for a fragment of a TCP segment: only its reassembled
// datagram tells which worker owns the connection. Other fragments (UDP,
// ICMP, tunnels) go by the address pair, as their whole datagrams do.
FrameShard ip_pair(Bytes ip) {
  if (ip.empty()) return {};
  Reader r(ip);
  if ((ip[0] >> 4) == 4) {
    r.skip(6);
    std::uint16_t frag = r.u16();  // flags and offset
    r.skip(1);
    std::uint8_t proto = r.u8();
    r.skip(2);
    Bytes a = r.bytes(4), b = r.bytes(4);
    if (!r.ok()) return {};
    std::size_t ihl = std::size_t(ip[0] & 15) * 4;
    if ((frag & 0x3fff) != 0) return {pair_hash(a, b, 0, 0), proto == 6};
    if (ihl < 20 || ip.size() < ihl) return {pair_hash(a, b, 0, 0), false};
    return {transport_hash(a, b, proto, Reader(ip.subspan(ihl))), false};
  }
  if ((ip[0] >> 4) == 6) {
    r.skip(6);
    std::uint8_t next = r.u8();
    r.skip(1);
    Bytes a = r.bytes(16), b = r.bytes(16);
    if (!r.ok()) return {};
    // Hop-by-hop, routing, destination options and AH may precede TCP (as in
    // the decoder); so may an atomic fragment header (offset 0, no more
    // fragments: a whole packet, RFC 6946).
    for (int i = 0; i < 8 && (next == 0 || next == 43 || next == 60 || next == 51 || next == 44);
         ++i) {
      std::uint8_t nh = r.u8();
      std::size_t units = r.u8();
      if (next == 44) {
        std::uint16_t offm = r.u16();
        r.skip(4);
        if (!r.ok()) return {pair_hash(a, b, 0, 0), false};
        if (offm & 0xfff9) return {pair_hash(a, b, 0, 0), nh == 6};
      } else {
        std::size_t len = next == 51 ? (units + 2) * 4 : (units + 1) * 8;
        r.skip(len - 2);
        if (!r.ok()) return {pair_hash(a, b, 0, 0), false};
      }
      next = nh;
    }
    return {transport_hash(a, b, next, r), false};
  }
  return {};
}

FrameShard after_ethertype(std::uint16_t type, Reader r) {
  for (int i = 0; i < 8; ++i) {
    if (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
      r.skip(2);
      type = r.u16();
      if (!r.ok()) return {};
      continue;
    }
    if (type == 0x8847 || type == 0x8848) {
      for (int n = 0; n < 16; ++n) {
        std::uint32_t e = r.u32();
        if (!r.ok()) return {};
        if (e & 0x100) return ip_pair(r.rest());
      }
      return {};
    }
    if (type == 0x0800 || type == 0x86dd) return ip_pair(r.rest());
    return {};
  }
  return {};
}

}  // namespace

FrameShard frame_shard(int dlt, Bytes frame) {
  Reader r(frame);
  switch (dlt) {
    case kDltEthernet: {
      r.skip(12);
      std::uint16_t t = r.u16();
      return r.ok() ? after_ethertype(t, r) : FrameShard{};
    }
    case kDltLinuxSll: {
      r.skip(14);
      std::uint16_t t = r.u16();
      return r.ok() ? after_ethertype(t, r) : FrameShard{};
    }
    case kDltLinuxSll2: {
      std::uint16_t t = r.u16();
      r.skip(18);
      return r.ok() ? after_ethertype(t, r) : FrameShard{};
    }
    case kDltNull:
    case kDltLoop:
      r.skip(4);
      return ip_pair(r.rest());
    default:
      return ip_pair(frame);
  }
}

std::uint32_t shard_hash(int dlt, Bytes frame) {
  return frame_shard(dlt, frame).hash;
}

std::uint32_t datagram_shard_hash(const IpAddr& src, const IpAddr& dst, std::uint8_t proto,
                                  Bytes l4) {
  return transport_hash(Bytes(src.b, src.len), Bytes(dst.b, dst.len), proto, Reader(l4));
}

}  // namespace vigil::sensor

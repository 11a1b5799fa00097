// One decoded packet: views into the capture buffer plus the header fields
// that flows, streams and analysers need. Lifetime: valid only until the next
// packet is read (the spans point into libpcap's or the defragmenter's buffer).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "sensor/common/reader.h"

namespace vigil::sensor {

struct IpAddr {
  std::uint8_t b[16] = {};
  std::uint8_t len = 0;  // 4 or 16; 0 = none

  void set(Bytes src) {
    len = std::uint8_t(src.size());
    std::memcpy(b, src.data(), len);
  }
  bool operator==(const IpAddr& o) const { return len == o.len && !std::memcmp(b, o.b, len); }
  std::string str() const;  // dotted quad or RFC 5952 text
};

// Returns <0, 0, >0 comparing (a, pa) with (b, pb): address bytes, then port.
int compare_endpoint(const IpAddr& a, std::uint16_t pa, const IpAddr& b, std::uint16_t pb);

enum : std::uint8_t {
  kProtoICMP = 1,
  kProtoTCP = 6,
  kProtoUDP = 17,
  kProtoGRE = 47,
  kProtoICMPv6 = 58,
};

enum TcpFlag : std::uint8_t {
  kFin = 0x01,
  kSyn = 0x02,
  kRst = 0x04,
  kPsh = 0x08,
  kAck = 0x10,
  kUrg = 0x20,
  kEce = 0x40,
  kCwr = 0x80,
};

struct Packet {
  std::int64_t ts_us = 0;  // capture time, microseconds since the epoch
  std::uint32_t caplen = 0;
  std::uint32_t wirelen = 0;

  std::uint16_t vlan[2] = {};  // outer, inner (QinQ)
  std::uint8_t vlan_count = 0;
  std::uint8_t tunnel_depth = 0;  // GRE / VXLAN layers peeled off
  std::uint8_t src_mac[6] = {};
  bool has_mac = false;

  // Innermost IP layer.
  std::uint8_t ip_version = 0;  // 0 = not IP
  IpAddr src, dst;
  std::uint8_t proto = 0;
  std::uint8_t ttl = 0;
  bool defragmented = false;
  std::uint32_t datagram_hash = 0;  // defragmented: shard hash of the outermost datagram
  bool fragment_held = false;       // fragment stored for reassembly: no flow update yet

  // Transport.
  bool has_l4 = false;
  std::uint16_t sport = 0, dport = 0;  // ICMP: type / code
  std::uint8_t tcp_flags = 0;
  std::uint32_t seq = 0, ack = 0;
  std::uint16_t window = 0;
  std::uint8_t icmp_type = 0, icmp_code = 0;
  Bytes payload;  // L4 payload (TCP/UDP data, ICMP body)
};

}  // namespace vigil::sensor

// Packet decoder: link layer -> VLAN/MPLS -> IPv4/IPv6 (+defrag) -> TCP/UDP/ICMP,
// with GRE and VXLAN tunnels peeled so the innermost packet is what flows see.
// One file per layer (ethernet.cpp, ipv4.cpp, ...); each layer takes the bytes
// after the previous header and counts anomalies instead of throwing.
#pragma once

#include <cstdint>

#include "sensor/common/counters.h"
#include "sensor/common/reader.h"
#include "sensor/decode/defrag.h"
#include "sensor/decode/packet.h"

namespace vigil::sensor {

// libpcap DLT values we decode (pcap/dlt.h numbers, kept here so the decoder
// does not need libpcap headers).
enum LinkType : int {
  kDltNull = 0,
  kDltEthernet = 1,
  kDltRaw = 12,  // some platforms: 14; LINKTYPE_RAW = 101
  kDltRawAlt = 14,
  kDltLoop = 108,
  kDltLinuxSll = 113,
  kDltRawLinktype = 101,
  kDltIPv4 = 228,
  kDltIPv6 = 229,
  kDltLinuxSll2 = 276,
};

bool link_type_supported(int dlt);

class Decoder {
 public:
  Decoder(Counters& counters, const DefragConfig& defrag)
      : counters_(counters), c_(&counters), defrag_(defrag, counters) {}

  // Fills `p` from one captured frame. Returns true when an IP packet was decoded
  // (p.ip_version != 0); anomalies are counted either way, unless `counted` is
  // false: the frame is a copy of a fragment that another worker counts
  // (--threads, engine/worker.h).
  bool decode(int dlt, std::int64_t ts_us, Bytes frame, std::uint32_t wirelen, Packet& p,
              bool counted = true);

  // Frees reassembly state older than the timeout (called periodically).
  void expire(std::int64_t now_us) { defrag_.expire(now_us); }

  // Layers (one file each). `data` starts at the layer's header.
  bool ethernet(Bytes data, Packet& p);
  bool ethertype(std::uint16_t type, Bytes data, Packet& p);  // VLAN/MPLS/IP dispatch
  bool sll(Bytes data, Packet& p);
  bool sll2(Bytes data, Packet& p);
  bool null_loop(Bytes data, Packet& p, bool network_order);
  bool raw_ip(Bytes data, Packet& p);
  bool mpls(Bytes data, Packet& p);
  bool ipv4(Bytes data, Packet& p);
  bool ipv6(Bytes data, Packet& p);
  bool transport(std::uint8_t proto, Bytes data, Packet& p);  // after IP (and defrag)
  bool tcp(Bytes data, Packet& p);
  bool udp(Bytes data, Packet& p);
  bool icmp(Bytes data, Packet& p, bool v6);
  bool gre(Bytes data, Packet& p);
  bool vxlan(Bytes data, Packet& p);

  Counters& counters() { return counters_; }

 private:
  // Tunnels restart decoding at an inner layer; the cap stops crafted nesting.
  bool enter_tunnel(Packet& p);
  bool counting() const { return c_ == &counters_; }
  // Decodes a datagram the defragmenter completed.
  bool reassembled(std::uint8_t proto, Bytes whole, Packet& p);

  Counters& counters_;
  Counters uncounted_;  // where an uncounted frame's counts go
  Counters* c_;         // &counters_ or &uncounted_, for the frame being decoded
  Defragmenter defrag_;
};

}  // namespace vigil::sensor

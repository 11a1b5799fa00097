// One bidirectional flow. The originator (first packet's sender, or the SYN
// sender) is the "client"; direction 0 = to server, 1 = to client, as in EVE.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string_view>
#include <vector>

#include "sensor/decode/packet.h"

namespace vigil::sensor {

class Analyzer;

enum Dir : std::uint8_t { kToServer = 0, kToClient = 1 };

enum class TcpState : std::uint8_t {
  kNone,         // not TCP
  kSynSent,      // SYN seen
  kSynRecv,      // SYN+ACK seen
  kEstablished,  // handshake completed or data seen mid-stream
  kClosing,      // FIN seen from one side
  kClosed,       // FIN from both sides or RST
};
std::string_view tcp_state_name(TcpState s);

// Canonical key: the lower endpoint first, so both directions find one entry.
struct FlowKey {
  std::uint8_t a[16] = {}, b[16] = {};
  std::uint16_t pa = 0, pb = 0;
  std::uint16_t vlan = 0;  // 0 unless VLAN is part of the key
  std::uint8_t proto = 0, alen = 0;
  bool operator==(const FlowKey&) const = default;
};
struct FlowKeyHash {
  std::size_t operator()(const FlowKey& k) const;
};

// Per-direction TCP reassembly state (stream/tcp_reassembler.cpp).
struct StreamDir {
  bool init = false;
  bool fin = false;
  bool depth_reached = false;
  std::uint32_t next = 0;       // next expected sequence number
  std::uint64_t delivered = 0;  // bytes handed to the analyser (stream offset)
  std::uint64_t ooo_bytes = 0;
  // Out-of-order segments keyed by stream offset; copies (the frame is gone
  // by the time the hole is filled), counted against the memcap.
  std::map<std::uint64_t, std::vector<std::uint8_t>> ooo;
  // The last bytes delivered, to tell a retransmission from an overlap that
  // carries different data (evasion). Ring of kRecent bytes.
  std::vector<std::uint8_t> recent;
};

struct Flow {
  FlowKey key;
  std::uint64_t id = 0;  // stable: derived from key and start time (same for any --threads)
  IpAddr cli, srv;
  std::uint16_t cport = 0, sport = 0;
  std::uint8_t proto = 0;
  std::uint16_t vlan[2] = {};
  std::uint8_t vlan_count = 0;
  std::uint8_t icmp_type = 0, icmp_code = 0;  // first ICMP packet (community id)
  std::uint8_t cli_mac[6] = {};
  bool has_mac = false;
  // Asset inventory: each side's first frame source MAC and IP TTL / hop limit
  // (an initial TTL means the sender is on the sensor's L2 segment).
  std::uint8_t srv_mac[6] = {};
  bool has_srv_mac = false;
  std::uint8_t ttl[2] = {};
  std::uint8_t tunnel_depth = 0;  // > 0: the MACs belong to the tunnel, not the hosts

  std::int64_t start_us = 0, last_us = 0;
  std::uint64_t pkts[2] = {}, bytes[2] = {};
  std::uint8_t tcp_flags[2] = {};
  TcpState state = TcpState::kNone;

  StreamDir stream[2];
  std::unique_ptr<Analyzer> app;
  std::string_view app_proto;  // registry name; empty until detected
  std::uint8_t probe_tries = 0;
  bool app_failed = false;
  bool ended = false;

  // Intrusive LRU list (flow_table.cpp): oldest activity at the head.
  Flow* lru_prev = nullptr;
  Flow* lru_next = nullptr;

  Flow();
  ~Flow();
};

}  // namespace vigil::sensor

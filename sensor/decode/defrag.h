// IPv4 and IPv6 fragment reassembly, bounded by a memcap. Fragments are the
// only packet bytes the decoder copies (they must outlive their frame). The
// first copy of an overlapping range wins; overlaps are counted as anomalies
// because they are how IDS evasion works (Ptacek & Newsham).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "sensor/common/counters.h"
#include "sensor/decode/packet.h"

namespace vigil::sensor {

struct DefragConfig {
  std::size_t memcap = 32u << 20;        // bytes of fragment data held, all datagrams
  std::int64_t timeout_us = 30'000'000;  // a datagram not completed by then is dropped
  std::size_t max_datagram = 65535 + 8;  // larger reassembly = anomaly, dropped
};

class Defragmenter {
 public:
  Defragmenter(const DefragConfig& cfg, Counters& c) : cfg_(cfg), c_(c) {}

  // Adds one fragment (payload after the IP header(s)). Returns true when this
  // completes a datagram; `out` then views the reassembled transport bytes,
  // valid until the next call. `counted` false: another worker counts this
  // datagram (--threads, engine/worker.h), so nothing about it is counted
  // here, its timeout included.
  bool add(const IpAddr& src, const IpAddr& dst, std::uint32_t id, std::uint8_t proto,
           std::uint32_t offset, bool more, Bytes data, std::int64_t ts_us, bool counted,
           Bytes& out);
  void expire(std::int64_t now_us);
  std::size_t bytes_held() const { return held_; }

 private:
  using Key = std::array<std::uint8_t, 40>;
  struct Frag {
    std::uint32_t off;
    std::vector<std::uint8_t> data;
  };
  struct Tracker {
    std::vector<Frag> frags;
    std::uint32_t total = 0;  // known once the last fragment (MF=0) is seen
    std::size_t bytes = 0;
    std::int64_t first_ts = 0;
    bool counted = true;
  };
  void drop(std::map<Key, Tracker>::iterator it);

  DefragConfig cfg_;
  Counters& c_;
  std::map<Key, Tracker> trackers_;
  std::size_t held_ = 0;
  std::vector<std::uint8_t> out_;
};

}  // namespace vigil::sensor

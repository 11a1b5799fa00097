// TCP reassembly per direction. In-order data is handed to the analyser straight
// from the packet (no copy); only out-of-order segments are copied, bounded by a
// per-worker memcap. Retransmitted bytes are compared with what was delivered:
// a different copy of the same bytes is an overlap anomaly (evasion). Missing
// bytes (the peer ACKed data we never saw) become a gap the analyser skips over.
// Past the inspection depth a direction is no longer reassembled at all.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sensor/common/counters.h"
#include "sensor/decode/packet.h"
#include "sensor/flow/flow.h"

namespace vigil::sensor {

struct StreamConfig {
  std::uint64_t depth = 1u << 20;          // bytes per direction handed to analysers
  std::size_t memcap = 256u << 20;         // all out-of-order data + overlap windows
  std::size_t max_ooo_per_dir = 1u << 20;  // then the hole is declared a gap
};

class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual void stream_data(Flow& f, Dir dir, Bytes data, std::int64_t ts_us) = 0;
  virtual void stream_gap(Flow& f, Dir dir, std::uint64_t len) = 0;
  virtual void stream_overlap(Flow& f, Dir dir, std::uint64_t offset, std::int64_t ts_us) = 0;
};

class TcpReassembler {
 public:
  static constexpr std::size_t kRecent = 2048;

  TcpReassembler(const StreamConfig& cfg, Counters& c, StreamSink& sink)
      : cfg_(cfg), c_(c), sink_(sink) {}
  void packet(Flow& f, Dir dir, const Packet& p);
  // Flow end: deliver queued segments across remaining holes, then free memory.
  void finish(Flow& f, std::int64_t ts_us);
  std::size_t memory() const { return mem_; }

 private:
  void deliver(Flow& f, Dir dir, Bytes data, std::int64_t ts_us);
  void drain(Flow& f, Dir dir, std::int64_t ts_us);
  void gap_to_first_queued(Flow& f, Dir dir, std::int64_t ts_us);
  void check_acked(Flow& f, Dir dir, std::uint32_t ack, std::int64_t ts_us);
  bool overlap_differs(const StreamDir& s, std::uint64_t offset, Bytes data) const;
  void release(StreamDir& s);

  StreamConfig cfg_;
  Counters& c_;
  StreamSink& sink_;
  std::size_t mem_ = 0;
};

}  // namespace vigil::sensor

// One worker = decoder + flow table + reassembler + analysers for the flows of
// one shard. With --threads 1 it runs on the reading thread, zero-copy.
// Part 2 (detections) plugs in through SensorConfig::hooks (engine/hooks.h);
// nothing here knows about findings.
#pragma once

#include <cstdint>

#include "sensor/decode/decoder.h"
#include "sensor/engine/config.h"
#include "sensor/flow/flow_table.h"
#include "sensor/output/emitter.h"
#include "sensor/stream/tcp_reassembler.h"

namespace vigil::sensor {

// How a frame reached worker `shard` of `shards` (--threads). A fragment of a
// TCP segment goes to every worker (decode/shard.h): each reassembles it and
// keeps the datagram only if the datagram is its shard's; the worker its
// address pair hashes to counts it (kCountedFragment), the others decode it
// without counting anything (kFragmentCopy), so the totals, defrag timeouts
// included, are those of one thread.
enum class Delivery : std::uint8_t { kShard, kCountedFragment, kFragmentCopy };

class Worker : public StreamSink {
 public:
  Worker(const SensorConfig& cfg, EventSink& sink, int shard = 0, int shards = 1);
  ~Worker() override;

  void process(int dlt, std::int64_t ts_us, Bytes frame, std::uint32_t wirelen,
               Delivery how = Delivery::kShard);
  // End of input: ends every flow (reason depends on `capture_end_us` only).
  void finish(std::int64_t capture_end_us);

  Counters& counters() { return counters_; }
  std::size_t active_flows() const { return flows_.size(); }

  void stream_data(Flow& f, Dir dir, Bytes data, std::int64_t ts_us) override;
  void stream_gap(Flow& f, Dir dir, std::uint64_t len) override;
  void stream_overlap(Flow& f, Dir dir, std::uint64_t offset, std::int64_t ts_us) override;

 private:
  // Whether a fragment every worker got (`how` != kShard) is this worker's.
  bool keeps(const Packet& p, Delivery how) const;
  void app_data(Flow& f, Dir dir, Bytes data, std::int64_t ts_us);
  void flow_ended(Flow& f, EndReason why);

  const SensorConfig& cfg_;
  const std::uint32_t shard_, shards_;
  Counters counters_;
  Emitter emitter_;
  Decoder decoder_;
  TcpReassembler reasm_;
  FlowTable flows_;
  std::unique_ptr<Hooks> hooks_;
  Packet pkt_;
  std::int64_t last_sweep_us_ = 0;
};

}  // namespace vigil::sensor

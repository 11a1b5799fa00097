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

class Worker : public StreamSink {
 public:
  Worker(const SensorConfig& cfg, EventSink& sink);
  ~Worker() override;

  void process(int dlt, std::int64_t ts_us, Bytes frame, std::uint32_t wirelen);
  // End of input: ends every flow (reason depends on `capture_end_us` only).
  void finish(std::int64_t capture_end_us);

  Counters& counters() { return counters_; }
  std::size_t active_flows() const { return flows_.size(); }

  void stream_data(Flow& f, Dir dir, Bytes data, std::int64_t ts_us) override;
  void stream_gap(Flow& f, Dir dir, std::uint64_t len) override;
  void stream_overlap(Flow& f, Dir dir, std::uint64_t offset, std::int64_t ts_us) override;

 private:
  void app_data(Flow& f, Dir dir, Bytes data, std::int64_t ts_us);
  void flow_ended(Flow& f, EndReason why);

  const SensorConfig& cfg_;
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

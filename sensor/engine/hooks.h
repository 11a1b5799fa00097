// Extension points for part 2 (detections, YARA on streams, asset inventory).
// A factory in SensorConfig makes one Hooks object per worker, so hooks need
// no locking; they see what analysers see, after reassembly, and every event.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "sensor/common/reader.h"
#include "sensor/flow/flow.h"
#include "sensor/output/event_sink.h"

namespace vigil::sensor {

class Hooks {
 public:
  virtual ~Hooks() = default;
  // In-order TCP payload (up to the inspection depth) or a UDP datagram.
  // `offset` is the byte offset of `data` in this direction's stream.
  virtual void stream_data(const Flow& f, Dir dir, Bytes data, std::uint64_t offset,
                           std::int64_t ts_us) {}
  // Every event, before it is written.
  virtual void event(const Json& ev) {}
  // The flow ends (its `flow` event has been emitted).
  virtual void flow_end(const Flow& f) {}
};

using HooksFactory = std::function<std::unique_ptr<Hooks>()>;

}  // namespace vigil::sensor

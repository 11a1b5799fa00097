// Extension points for part 2 (detections, YARA on streams, asset inventory).
// A factory in SensorConfig makes one Hooks object per worker, so hooks need
// no locking; they see what analysers see, after reassembly, and every event.
// Several consumers (detections, asset inventory) are chained with
// compose_hooks(): each keeps its own per-worker state and merges it into a
// shared, locked collector when the worker ends (its destructor).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

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
  // A decoded HTTP message body (de-chunked, decompressed, size-capped), one
  // call per complete body; `truncated` when a cap cut it short.
  virtual void http_body(const Flow& f, Dir dir, Bytes body, bool truncated, std::int64_t ts_us) {}
  // Whether http_body() is used: without it bodies are neither copied nor decoded.
  virtual bool wants_http_bodies() const { return true; }
  // Every event, before it is written.
  virtual void event(const Json& ev) {}
  // The flow ends (its `flow` event has been emitted).
  virtual void flow_end(const Flow& f) {}
};

using HooksFactory = std::function<std::unique_ptr<Hooks>()>;

// Forwards every call to each member, in order.
class CompositeHooks final : public Hooks {
 public:
  explicit CompositeHooks(std::vector<std::unique_ptr<Hooks>> parts) : parts_(std::move(parts)) {}
  void stream_data(const Flow& f, Dir dir, Bytes data, std::uint64_t offset,
                   std::int64_t ts_us) override {
    for (auto& p : parts_) p->stream_data(f, dir, data, offset, ts_us);
  }
  void http_body(const Flow& f, Dir dir, Bytes body, bool truncated, std::int64_t ts_us) override {
    for (auto& p : parts_) p->http_body(f, dir, body, truncated, ts_us);
  }
  bool wants_http_bodies() const override {
    return std::any_of(parts_.begin(), parts_.end(),
                       [](auto& p) { return p->wants_http_bodies(); });
  }
  void event(const Json& ev) override {
    for (auto& p : parts_) p->event(ev);
  }
  void flow_end(const Flow& f) override {
    for (auto& p : parts_) p->flow_end(f);
  }

 private:
  std::vector<std::unique_ptr<Hooks>> parts_;
};

// One factory from several (empty ones skipped); empty result when none.
inline HooksFactory compose_hooks(std::vector<HooksFactory> factories) {
  std::erase_if(factories, [](const HooksFactory& f) { return !f; });
  if (factories.empty()) return {};
  if (factories.size() == 1) return factories.front();
  return [fs = std::move(factories)]() -> std::unique_ptr<Hooks> {
    std::vector<std::unique_ptr<Hooks>> parts;
    for (const auto& f : fs) parts.push_back(f());
    return std::make_unique<CompositeHooks>(std::move(parts));
  };
}

}  // namespace vigil::sensor

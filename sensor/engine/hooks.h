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
  // call per complete body; `truncated` when a cap cut it short. `length`:
  // the body's bytes in the stream (de-chunked, before decoding), all of
  // them, of which `body` is the decoded start.
  virtual void http_body(const Flow& f, Dir dir, Bytes body, std::uint64_t length, bool truncated,
                         std::int64_t ts_us) {}
  // Bytes of each body http_body() uses: bodies are decoded that far only
  // (0: not at all, nor copied).
  virtual std::uint64_t http_body_depth() const { return UINT64_MAX; }
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
  void http_body(const Flow& f, Dir dir, Bytes body, std::uint64_t length, bool truncated,
                 std::int64_t ts_us) override {
    for (auto& p : parts_) p->http_body(f, dir, body, length, truncated, ts_us);
  }
  std::uint64_t http_body_depth() const override {
    std::uint64_t depth = 0;
    for (auto& p : parts_) depth = std::max(depth, p->http_body_depth());
    return depth;
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

// Builds the common envelope every event carries (time, tenant, sensor, flow
// id, endpoints, community_id) so analysers only add their own object.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "sensor/flow/flow.h"
#include "sensor/output/event_sink.h"

namespace vigil::sensor {

class Hooks;
struct SensorConfig;

struct Identity {
  std::string tenant = "default";
  std::string sensor_name;
};

std::string format_ts(std::int64_t ts_us);  // 2026-11-26T11:01:25.123456Z
std::string flow_community_id(const Flow& f);
std::string_view proto_name(std::uint8_t proto);

class Emitter {
 public:
  Emitter(const Identity& id, EventSink& sink, Counters& c) : id_(id), sink_(sink), c_(c) {}
  // Envelope oriented client -> server (the flow's originator is src).
  Json begin(const Flow& f, std::string_view type, std::int64_t ts_us);
  void emit(const Json& event);
  Counters& counters() { return c_; }
  // Called with every event before it is written (detections, part 2).
  void set_observer(std::function<void(const Json&)> fn) { observer_ = std::move(fn); }
  // The analysers' other outputs and settings: the worker's hooks (null when
  // none; HTTP hands decoded bodies to them) and the run's config (null in
  // unit tests that build an Emitter by hand: defaults apply).
  void attach(const SensorConfig* cfg, Hooks* hooks) {
    cfg_ = cfg;
    hooks_ = hooks;
  }
  const SensorConfig* config() const { return cfg_; }
  Hooks* hooks() const { return hooks_; }

 private:
  const Identity& id_;
  EventSink& sink_;
  Counters& c_;
  std::function<void(const Json&)> observer_;
  const SensorConfig* cfg_ = nullptr;
  Hooks* hooks_ = nullptr;
};

}  // namespace vigil::sensor

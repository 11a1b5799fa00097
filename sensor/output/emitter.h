// Builds the common envelope every event carries (time, tenant, sensor, flow
// id, endpoints, community_id) so analysers only add their own object.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "sensor/flow/flow.h"
#include "sensor/output/event_sink.h"

namespace vigil::sensor {

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

 private:
  const Identity& id_;
  EventSink& sink_;
  Counters& c_;
  std::function<void(const Json&)> observer_;
};

}  // namespace vigil::sensor

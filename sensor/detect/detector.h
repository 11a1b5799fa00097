// A detection family (sensor/detect/<family>.cpp) and the one registry of them
// (detector_list.h). Each worker gets its own instance, so a detector keeps
// per-flow state without locks; what needs every worker's view (scan and DNS
// counts) is merged into one shared instance when the worker ends, and that
// instance concludes. Adding a detection = one file + one line in detector_list.h.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "sensor/detect/detect_config.h"
#include "sensor/detect/finding_set.h"
#include "sensor/flow/flow.h"
#include "sensor/output/event_sink.h"

namespace vigil::sensor::detect {

class Detector {
 public:
  virtual ~Detector() = default;
  // Every sensor event (docs/events.md), before it is written.
  virtual void event(const Json& ev, FindingSet& out) {}
  // In-order payload of a direction, `offset` = position in that stream.
  virtual void stream_data(const Flow& f, Dir dir, Bytes data, std::uint64_t offset,
                           std::int64_t ts_us, FindingSet& out) {}
  // A decoded HTTP body (de-chunked, decompressed, size-capped).
  // `length`: the body's bytes in the stream (Hooks::http_body).
  virtual void http_body(const Flow& f, Dir dir, Bytes body, std::uint64_t length,
                         std::int64_t ts_us, FindingSet& out) {}
  // Bytes of each body http_body() uses (0: none): the HTTP analyser decodes
  // bodies for the detections that far only, or not at all.
  virtual std::uint64_t http_body_depth() const { return 0; }
  virtual void flow_end(const Flow& f, FindingSet& out) {}
  // Worker end: hand cross-flow state to the shared instance (same type), under
  // the collector's lock. Counters move too.
  virtual void merge_into(Detector& shared) {}
  // Called once on the shared instance after every worker merged.
  virtual void conclude(FindingSet& out) {}
  // Named counters (evictions, scans...), written under "detect" in --stats.
  virtual void stats(Json& out) const {}
};

struct DetectorInfo {
  std::string_view name;  // config name (detect.disable) and docs
  std::unique_ptr<Detector> (*make)(const DetectConfig& cfg);
};

const std::vector<const DetectorInfo*>& detectors();
const DetectorInfo* find_detector(std::string_view name);

}  // namespace vigil::sensor::detect

// The detections as a sensor plug-in: hooks() gives the per-worker factory for
// compose_hooks(); each worker's detectors and findings merge into this shared,
// locked collector when the worker ends; findings() concludes and applies the
// allowlist once every worker is gone.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sensor/detect/detector.h"
#include "sensor/engine/hooks.h"

namespace vigil::sensor::detect {

class DetectEngine {
 public:
  DetectEngine(DetectConfig cfg, std::string tenant, int threads);
  ~DetectEngine();

  HooksFactory hooks();
  // After run_sensor() returned (every worker merged): the findings to write,
  // sorted by id, allowlisted ones removed.
  std::vector<core::Finding> findings();
  // Counters for --stats ("detect" object).
  Json stats() const;

  // Worker side (engine.cpp): one worker's state arrives here once.
  void merge_worker(std::vector<std::unique_ptr<Detector>>& parts, FindingSet& set);
  const DetectConfig& worker_config() const { return worker_cfg_; }
  const std::string& tenant() const { return tenant_; }

 private:
  bool allowed(const core::Finding& f) const;

  DetectConfig cfg_;
  DetectConfig worker_cfg_;  // caps divided by the thread count
  std::string tenant_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Detector>> shared_;
  std::vector<const DetectorInfo*> active_;
  FindingSet set_;
  bool concluded_ = false;
  std::uint64_t suppressed_ = 0;
  std::vector<core::Finding> out_;
};

}  // namespace vigil::sensor::detect

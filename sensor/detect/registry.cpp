#include "sensor/detect/detector.h"

namespace vigil::sensor::detect {

#define VIGIL_DETECTOR(name) extern const DetectorInfo kDetector_##name;
#include "sensor/detect/detector_list.h"
#undef VIGIL_DETECTOR

const std::vector<const DetectorInfo*>& detectors() {
  static const std::vector<const DetectorInfo*> all = {
#define VIGIL_DETECTOR(name) &kDetector_##name,
#include "sensor/detect/detector_list.h"
#undef VIGIL_DETECTOR
  };
  return all;
}

const DetectorInfo* find_detector(std::string_view name) {
  for (const DetectorInfo* d : detectors())
    if (d->name == name) return d;
  return nullptr;
}

}  // namespace vigil::sensor::detect

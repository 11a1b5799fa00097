// `vigil sensor --findings OUT [--yara RULES] [--config FILE]`: sets up the
// detections (sensor/detect/) for cmd_sensor.cpp and writes their findings.
// YARA rules are compiled here, once, with the scanner's compiler (errors name
// FILE:LINE); the sensor library only borrows the compiled rules.
#pragma once

#include <memory>
#include <string>

#include "core/util/result.h"
#include "scanner/yara/rules.h"
#include "sensor/detect/engine.h"

namespace vigil::cli {

struct SensorDetect {
  std::string out;
  std::unique_ptr<scanner::yara::Rules> rules;
  std::unique_ptr<sensor::detect::DetectEngine> engine;
};

// nullptr when --findings was not given. `yara_depth` ("64KiB"; empty = the
// config file's detect.yara.depth, else the default) is --yara-depth.
Result<std::unique_ptr<SensorDetect>> setup_detect(const std::string& findings,
                                                   const std::string& yara,
                                                   const std::string& yara_depth,
                                                   const std::string& config,
                                                   const std::string& tenant, int threads);

// After the run: writes the findings (JSON Lines, docs/findings.md) and adds
// the "detect" counters to the stats.
Status finish_detect(SensorDetect& d, sensor::Json& stats);

}  // namespace vigil::cli

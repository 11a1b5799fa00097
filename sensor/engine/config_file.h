// Sensor settings from a JSON config file (--config). The "sensor" object is
// ours; other top-level objects (e.g. "detect", part 2) are left to their
// owners. Unknown keys inside "sensor" are rejected by name.
#pragma once

#include <cstdint>
#include <string>

#include "core/util/result.h"
#include "sensor/engine/config.h"

namespace vigil::sensor {

Status load_config_file(const std::string& path, SensorConfig& cfg);

// "100MB", "64KiB", "1GB", "123" -> bytes; "1h", "30m", "45s" -> seconds.
Result<std::uint64_t> parse_size(const std::string& s);
Result<std::int64_t> parse_duration(const std::string& s);

}  // namespace vigil::sensor

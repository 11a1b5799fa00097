// Runs the sensor over a capture source: one worker on the reading thread, or
// N workers fed by flow-symmetric sharding. Returns stats; never throws for bad input.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "core/util/result.h"
#include "sensor/capture/source.h"
#include "sensor/engine/config.h"
#include "sensor/output/event_sink.h"

namespace vigil::sensor {

struct RunOptions {
  std::string read_file;  // -r
  std::string iface;      // -i
  std::string bpf;
  int threads = 1;
  LiveOptions live;
  // Called about every 64k packets in file mode with (bytes read, file size).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  // Live mode: checked between packets; set from a signal handler.
  const std::atomic<bool>* stop = nullptr;
  // Live mode: polled; when set the runner prints stats (SIGUSR1) and clears it.
  std::atomic<bool>* print_stats = nullptr;
};

struct RunStats {
  Counters counters;
  int threads = 1;
  int datalink = 0;
  std::int64_t first_ts_us = 0, last_ts_us = 0;
  double wall_seconds = 0;
  Json to_json() const;
  std::string summary() const;  // human-readable lines for stderr
};

Result<RunStats> run_sensor(const RunOptions& opt, const SensorConfig& cfg, EventSink& sink);

}  // namespace vigil::sensor

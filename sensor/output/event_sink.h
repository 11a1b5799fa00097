// Where events go. Analysers build an EVE-style JSON object through Emitter;
// the sink serialises it as one JSON line. Thread-safe: workers share one sink.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"
#include "sensor/common/counters.h"

namespace vigil::sensor {

using Json = nlohmann::ordered_json;

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void write(const Json& event) = 0;
  virtual void flush() {}
};

// JSON Lines to a file or stdout ("-"). Lines are built outside the lock.
class JsonlSink : public EventSink {
 public:
  static Result<std::unique_ptr<JsonlSink>> open(const std::string& path);
  ~JsonlSink() override;
  void write(const Json& event) override;
  void flush() override;
  // Live mode: start a new file (path.N) when the current one passes the limits.
  void set_rotation(std::uint64_t max_bytes, std::int64_t max_age_s);

 private:
  JsonlSink(std::FILE* f, std::string path, bool owned)
      : f_(f), path_(std::move(path)), owned_(owned) {}
  void rotate_locked();
  void rotation_failed(const std::string& what);
  std::mutex mu_;
  std::FILE* f_;
  std::string path_;
  bool owned_;
  std::uint64_t written_ = 0, max_bytes_ = 0;
  std::int64_t opened_at_ = 0, max_age_s_ = 0;
  int rotation_ = 0;
  bool rotation_warned_ = false;
};

// Keeps events in memory (tests, and --threads comparisons).
class MemorySink : public EventSink {
 public:
  void write(const Json& event) override {
    std::lock_guard<std::mutex> lock(mu_);
    events.push_back(event);
  }
  std::vector<Json> events;

 private:
  std::mutex mu_;
};

}  // namespace vigil::sensor

#include "sensor/output/event_sink.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "sensor/output/json_writer.h"

namespace vigil::sensor {

Result<std::unique_ptr<JsonlSink>> JsonlSink::open(const std::string& path) {
  if (path == "-") return std::unique_ptr<JsonlSink>(new JsonlSink(stdout, path, false));
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return Error{path, std::strerror(errno)};
  auto s = std::unique_ptr<JsonlSink>(new JsonlSink(f, path, true));
  s->opened_at_ = std::time(nullptr);
  return s;
}

JsonlSink::~JsonlSink() {
  if (owned_ && f_)
    std::fclose(f_);
  else if (f_)
    std::fflush(f_);
}

void JsonlSink::set_rotation(std::uint64_t max_bytes, std::int64_t max_age_s) {
  max_bytes_ = max_bytes;
  max_age_s_ = max_age_s;
}

// Live mode rotates after root was dropped (--user): when the directory is not
// writable by that user the rename or the new file fails. Events must not be
// lost then, so the current file stays open and keeps growing; the failure is
// reported once on stderr.
void JsonlSink::rotate_locked() {
  if (!owned_) return;
  std::string rotated = path_ + "." + std::to_string(rotation_ + 1);
  if (std::rename(path_.c_str(), rotated.c_str()) != 0) return rotation_failed(rotated);
  std::FILE* next = std::fopen(path_.c_str(), "w");
  if (!next) {
    std::rename(rotated.c_str(), path_.c_str());
    return rotation_failed(path_);
  }
  std::fclose(f_);
  f_ = next;
  ++rotation_;
  written_ = 0;
  opened_at_ = std::time(nullptr);
}

void JsonlSink::rotation_failed(const std::string& what) {
  const int err = errno;
  if (!rotation_warned_)
    std::fprintf(stderr, "vigil: %s: cannot rotate (%s); still writing %s\n", what.c_str(),
                 std::strerror(err), path_.c_str());
  rotation_warned_ = true;
  max_bytes_ = 0;  // stop retrying on every write
  max_age_s_ = 0;
}

void JsonlSink::write(const Json& event) {
  // Invalid UTF-8 from the wire is replaced, never a throw. One line buffer
  // per thread, reused: no allocation per event once it has grown.
  thread_local std::string line;
  line.clear();
  append_json(line, event);
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(mu_);
  if (!f_) return;
  std::fwrite(line.data(), 1, line.size(), f_);
  written_ += line.size();
  if ((max_bytes_ && written_ >= max_bytes_) ||
      (max_age_s_ && std::time(nullptr) - opened_at_ >= max_age_s_))
    rotate_locked();
}

void JsonlSink::flush() {
  std::lock_guard<std::mutex> lock(mu_);
  if (f_) std::fflush(f_);
}

}  // namespace vigil::sensor

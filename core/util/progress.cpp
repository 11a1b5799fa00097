#include "core/util/progress.h"

#include <unistd.h>

#include <cstdio>

#include "core/util/time.h"

namespace vigil {

bool is_tty(int fd) {
  return ::isatty(fd) == 1;
}

Progress::Progress(std::string label, std::uint64_t total, bool quiet)
    : label_(std::move(label)), total_(total), enabled_(!quiet && is_tty(STDERR_FILENO)) {}

Progress::~Progress() {
  finish();
}

void Progress::update(std::uint64_t done) {
  done_ = done;
  if (!enabled_) return;
  // Redraw at most 10 times a second: drawing must not cost more than the work.
  const auto now = now_micros();
  if (now - last_draw_us_ < 100000) return;
  last_draw_us_ = now;
  draw();
}

void Progress::draw() {
  if (total_ > 0) {
    const int width = 30;
    const double frac = done_ >= total_ ? 1.0 : static_cast<double>(done_) / total_;
    const int fill = static_cast<int>(frac * width);
    std::fprintf(stderr, "\r%s [%.*s%*s] %3d%%", label_.c_str(), fill,
                 "##############################", width - fill, "", static_cast<int>(frac * 100));
  } else {
    std::fprintf(stderr, "\r%s %llu", label_.c_str(), static_cast<unsigned long long>(done_));
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  if (total_ > 0) done_ = total_;
  draw();
  std::fputc('\n', stderr);
}

}  // namespace vigil

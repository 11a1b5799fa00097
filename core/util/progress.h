// A progress bar on stderr, drawn only when stderr is a terminal and the user
// did not ask for --quiet: pipes, cron and CI logs stay clean.
#pragma once

#include <cstdint>
#include <string>

namespace vigil {

class Progress {
 public:
  // total == 0: unknown size, shows a counter instead of a bar.
  Progress(std::string label, std::uint64_t total, bool quiet = false);
  ~Progress();
  void update(std::uint64_t done);
  void finish();
  bool enabled() const { return enabled_; }

 private:
  void draw();
  std::string label_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
  std::int64_t last_draw_us_ = 0;
  bool enabled_;
  bool finished_ = false;
};

// True when fd refers to a terminal.
bool is_tty(int fd);

}  // namespace vigil

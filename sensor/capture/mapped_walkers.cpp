#include "sensor/capture/mapped_walkers.h"

#include <algorithm>

namespace vigil::sensor {

namespace {
constexpr std::uint32_t kFinished = ~std::uint32_t(0);
// Pages are mapped ahead and dropped behind in steps this big (one call each).
constexpr std::uint64_t kPageStep = 8u << 20;
}  // namespace

MappedWalkers::MappedWalkers(const MappedPcap& map, int walkers, std::uint64_t segment_bytes)
    : map_(map),
      walkers_(std::max(1, walkers)),
      segment_bytes_(std::max<std::uint64_t>(1, segment_bytes)),
      segments_(new Segment[kSegments]),
      done_(new std::atomic<std::uint32_t>[std::size_t(walkers_)]) {
  for (int i = 0; i < walkers_; ++i) done_[std::size_t(i)].store(0);
}

MappedWalkers::Claim MappedWalkers::acquire(std::uint32_t g, Segment& s) {
  const std::uint32_t ready = 2 * g + 2, busy = 2 * g + 1;
  for (;;) {
    std::uint32_t v = s.state.load(std::memory_order_acquire);
    if (v == ready) return Claim::kReady;
    if (v == busy) return Claim::kBusy;
    // The slot still holds segment g - kSegments: every walker must have left it.
    if (g >= kSegments) {
      for (int j = 0; j < walkers_; ++j) {
        std::atomic<std::uint32_t>& d = done_[std::size_t(j)];
        for (std::uint32_t seen; (seen = d.load(std::memory_order_acquire)) < g - kSegments + 1;)
          d.wait(seen, std::memory_order_acquire);
      }
    }
    if (s.state.compare_exchange_strong(v, busy, std::memory_order_acq_rel)) return Claim::kMine;
  }
}

void MappedWalkers::prepare(std::uint64_t pos, std::uint64_t gone) {
  std::uint64_t drop_from = 0, drop_to = 0, pop_from = 0, pop_to = 0;
  {
    std::lock_guard<std::mutex> lk(page_mu_);
    if (gone >= released_ + kPageStep) {
      drop_from = released_;
      drop_to = released_ = gone / map_.page_size() * map_.page_size();
    }
    if (pos + segment_bytes_ > populated_ && populated_ < map_.size()) {
      pop_from = std::max(populated_, pos);
      pop_to = populated_ = std::min(pop_from + kPageStep, map_.size());
    }
  }
  if (drop_to > drop_from) map_.drop_range(drop_from, drop_to);
  if (pop_to > pop_from) map_.populate_range(pop_from, pop_to);
}

void MappedWalkers::publish(std::uint32_t g, Segment& s) {
  s.state.store(2 * g + 2, std::memory_order_release);
  s.state.notify_all();
}

void MappedWalkers::left(int i, std::uint32_t segments, bool finished) {
  std::atomic<std::uint32_t>& d = done_[std::size_t(i)];
  d.store(finished ? kFinished : segments, std::memory_order_release);
  d.notify_all();
}

}  // namespace vigil::sensor

// Runs fn(index, worker) for index in [0, n) on `threads` workers. Work is handed out one
// item at a time through an atomic counter: file sizes vary by orders of magnitude, so
// static partitioning would leave a worker idle behind one big file.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace vigil::scanner::walk {

template <typename Fn>
void parallel_for(std::size_t n, unsigned threads, Fn&& fn) {
  threads =
      std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(n, 1))));
  std::atomic<std::size_t> next{0};
  auto work = [&](unsigned worker) {
    for (std::size_t i = next++; i < n; i = next++) fn(i, worker);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
}

// Default worker count: every core the process may run on.
inline unsigned default_threads() {
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace vigil::scanner::walk

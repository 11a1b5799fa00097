// Eviction for the per-source tables of scan and DNS detection, which hostile
// traffic (spoofed sources, random names) would otherwise grow without limit.
// When the table is full: first drop entries that `small` calls unimportant
// (a flood of one-packet sources must not push out a real scanner), then, if
// it is still over 3/4 full, the least recently active half. Amortised O(1).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace vigil::sensor::detect {

template <typename Map, typename Small, typename LastSeen>
std::uint64_t evict_when_full(Map& m, std::size_t cap, Small small, LastSeen last_seen) {
  if (m.size() < cap) return 0;
  std::size_t before = m.size();
  std::erase_if(m, [&](const auto& kv) { return small(kv.second); });
  if (m.size() > cap * 3 / 4 && !m.empty()) {
    std::vector<std::int64_t> ages;
    ages.reserve(m.size());
    for (const auto& kv : m) ages.push_back(last_seen(kv.second));
    std::nth_element(ages.begin(), ages.begin() + ages.size() / 2, ages.end());
    std::int64_t cut = ages[ages.size() / 2];
    std::erase_if(m, [&](const auto& kv) { return last_seen(kv.second) <= cut; });
  }
  return before - m.size();
}

}  // namespace vigil::sensor::detect

#include "core/store/held_rows.h"

#include <algorithm>
#include <compare>
#include <cstring>
#include <functional>

namespace vigil::store {

void bind_row(Stmt& s, const RowValues& v) {
  // The insert's parameter for each text, in RowValues::Text order.
  static constexpr std::array<int, RowValues::kTexts> kParam = {1,  2,  4,  5,  8,  9,  10,
                                                                11, 12, 13, 14, 15, 16, 20};
  for (std::size_t t = 0; t < RowValues::kTexts; ++t) s.bind_ref(kParam[t], v.text[t]);
  s.bind(3, v.num.schema_version)
      .bind(6, v.num.severity)
      .bind(7, v.num.confidence)
      .bind(17, v.num.first_seen)
      .bind(18, v.num.last_seen)
      .bind(19, v.num.count);
}

std::uint32_t HeldRows::hold(const RowValues& v, std::uint64_t hash, std::uint64_t tag,
                             std::uint32_t into) {
  Held h;
  std::size_t bytes = 0;
  for (std::size_t t = 0; t < RowValues::kTexts; ++t) {
    h.len[t] = static_cast<std::uint32_t>(v.text[t].size());
    bytes += h.len[t];
  }
  if (used_ + bytes > capacity_) grow(bytes);
  h.at = static_cast<std::uint32_t>(used_);
  for (const std::string_view text : v.text) {
    if (text.empty()) continue;  // its data() may be null, which memcpy must not get
    std::memcpy(arena_.get() + used_, text.data(), text.size());
    used_ += text.size();
  }
  h.num = v.num;
  h.hash = hash;
  h.tag = tag;
  h.into = into;
  h.sort_key = v.num.last_seen;
  if (into) {
    std::int64_t& key = held_[into - 1].sort_key;
    key = std::max(key, v.num.last_seen);
  }
  held_.push_back(h);
  return static_cast<std::uint32_t>(held_.size());
}

void HeldRows::grow(std::size_t bytes) {
  // Room for a window and the row that fills it; a row larger than a whole
  // window gets what it needs.
  const std::size_t want = std::max(window_bytes_ + window_bytes_ / 4, used_ + bytes);
  auto bigger = std::make_unique_for_overwrite<char[]>(want);
  if (used_) std::memcpy(bigger.get(), arena_.get(), used_);
  arena_ = std::move(bigger);
  capacity_ = want;
}

RowValues HeldRows::values(const Held& h) const {
  RowValues v;
  const char* p = arena_.get() + h.at;
  for (std::size_t t = 0; t < RowValues::kTexts; ++t) {
    v.text[t] = std::string_view(p, h.len[t]);
    p += h.len[t];
  }
  v.num = h.num;
  return v;
}

bool HeldRows::is(std::uint32_t n, std::string_view tenant, std::string_view id) const {
  const RowValues v = values(held_[n - 1]);
  return v.text[RowValues::tenant] == tenant && v.text[RowValues::id] == id;
}

std::vector<std::uint32_t> HeldRows::write_order() const {
  // Tenants group by a hash of their name (any order of tenants will do;
  // two that collide would only share a run), then time, then the order held.
  struct Key {
    std::uint64_t tenant;
    std::int64_t time;
    std::uint32_t index;
    auto operator<=>(const Key&) const = default;
  };
  std::vector<Key> keys;
  keys.reserve(held_.size());
  for (std::uint32_t i = 0; i < held_.size(); ++i) {
    const Held& h = held_[i];
    if (h.into != 0) continue;
    const std::string_view tenant(arena_.get() + h.at, h.len[RowValues::tenant]);
    keys.push_back({std::hash<std::string_view>{}(tenant), h.sort_key, i});
  }
  std::sort(keys.begin(), keys.end());
  std::vector<std::uint32_t> order(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].index;
  return order;
}

void HeldRows::clear() {
  used_ = 0;
  held_.clear();
}

}  // namespace vigil::store

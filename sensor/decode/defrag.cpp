#include "sensor/decode/defrag.h"

#include <algorithm>
#include <cstring>

namespace vigil::sensor {

void Defragmenter::drop(std::map<Key, Tracker>::iterator it) {
  held_ -= it->second.bytes;
  trackers_.erase(it);
}

void Defragmenter::expire(std::int64_t now_us) {
  for (auto it = trackers_.begin(); it != trackers_.end();) {
    auto next = std::next(it);
    if (now_us - it->second.first_ts > cfg_.timeout_us) {
      if (it->second.counted) c_.inc(Counter::defrag_timeout);
      drop(it);
    }
    it = next;
  }
}

bool Defragmenter::add(const IpAddr& src, const IpAddr& dst, std::uint32_t id, std::uint8_t proto,
                       std::uint32_t offset, bool more, Bytes data, std::int64_t ts_us,
                       bool counted, Bytes& out) {
  auto count = [&](Counter k) {
    if (counted) c_.inc(k);
  };
  count(Counter::defrag_fragments);
  if (std::size_t(offset) + data.size() > cfg_.max_datagram) {
    count(Counter::defrag_too_large);
    return false;
  }
  if (held_ + data.size() > cfg_.memcap) {
    expire(ts_us);
    if (held_ + data.size() > cfg_.memcap) {
      count(Counter::defrag_memcap);
      return false;
    }
  }
  Key key{};
  std::memcpy(key.data(), src.b, 16);
  std::memcpy(key.data() + 16, dst.b, 16);
  std::memcpy(key.data() + 32, &id, 4);
  key[36] = proto;
  key[37] = src.len;
  auto [it, fresh] = trackers_.try_emplace(key);
  Tracker& t = it->second;
  if (fresh) {
    t.first_ts = ts_us;
    t.counted = counted;
  }

  std::uint32_t end = offset + std::uint32_t(data.size());
  for (const Frag& f : t.frags) {
    std::uint32_t fend = f.off + std::uint32_t(f.data.size());
    if (offset < fend && f.off < end) {
      count(Counter::defrag_overlap);
      break;
    }
  }
  if (!more) {
    if (t.total && t.total != end) count(Counter::defrag_overlap);
    t.total = end;
  }
  t.frags.push_back(Frag{offset, std::vector<std::uint8_t>(data.begin(), data.end())});
  t.bytes += data.size();
  held_ += data.size();
  if (!t.total) return false;

  // Complete when the ranges cover [0, total) without a hole.
  std::sort(t.frags.begin(), t.frags.end(),
            [](const Frag& a, const Frag& b) { return a.off < b.off; });
  std::uint32_t covered = 0;
  for (const Frag& f : t.frags) {
    if (f.off > covered) return false;
    covered = std::max(covered, f.off + std::uint32_t(f.data.size()));
  }
  if (covered < t.total) return false;

  out_.assign(t.total, 0);
  std::vector<bool> have(t.total, false);  // first copy wins on overlap
  for (const Frag& f : t.frags) {
    for (std::size_t i = 0; i < f.data.size() && f.off + i < t.total; ++i) {
      if (have[f.off + i]) continue;
      have[f.off + i] = true;
      out_[f.off + i] = f.data[i];
    }
  }
  drop(it);
  count(Counter::defrag_reassembled);
  out = Bytes(out_.data(), out_.size());
  return true;
}

}  // namespace vigil::sensor

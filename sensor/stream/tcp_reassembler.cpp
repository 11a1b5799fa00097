#include "sensor/stream/tcp_reassembler.h"

#include <algorithm>
#include <cstring>

namespace vigil::sensor {

void TcpReassembler::release(StreamDir& s) {
  mem_ -= s.ooo_bytes + s.recent.capacity();
  s.ooo.clear();
  s.ooo_bytes = 0;
  std::vector<std::uint8_t>().swap(s.recent);
}

bool TcpReassembler::overlap_differs(const StreamDir& s, std::uint64_t offset, Bytes data) const {
  // Only the last kRecent delivered bytes are remembered.
  if (s.recent.empty()) return false;
  std::uint64_t lo = s.delivered > kRecent ? s.delivered - kRecent : 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    std::uint64_t off = offset + i;
    if (off < lo || off >= s.delivered) continue;
    if (s.recent[off % kRecent] != data[i]) return true;
  }
  return false;
}

void TcpReassembler::deliver(Flow& f, Dir dir, Bytes data, std::int64_t ts_us) {
  StreamDir& s = f.stream[dir];
  s.next += std::uint32_t(data.size());
  if (s.depth_reached) return;
  std::uint64_t room = cfg_.depth - s.delivered;
  Bytes part = data.size() > room ? data.first(room) : data;
  if (s.recent.empty() && mem_ + kRecent <= cfg_.memcap) {
    s.recent.assign(kRecent, 0);
    mem_ += s.recent.capacity();
  }
  if (!s.recent.empty()) {
    // Only the tail can matter for the window.
    std::size_t skip = part.size() > kRecent ? part.size() - kRecent : 0;
    std::size_t at = std::size_t((s.delivered + skip) % kRecent);
    std::size_t n = part.size() - skip;
    std::size_t first = std::min(n, kRecent - at);  // up to the ring's end, then wrap
    std::memcpy(s.recent.data() + at, part.data() + skip, first);
    std::memcpy(s.recent.data(), part.data() + skip + first, n - first);
  }
  s.delivered += part.size();
  if (!part.empty()) sink_.stream_data(f, dir, part, ts_us);
  if (s.delivered >= cfg_.depth) {
    // Fast path from here on: the flow is still counted, payload is not kept.
    s.depth_reached = true;
    c_.inc(Counter::stream_depth_reached);
    release(s);
  }
}

void TcpReassembler::drain(Flow& f, Dir dir, std::int64_t ts_us) {
  StreamDir& s = f.stream[dir];
  while (!s.ooo.empty() && !s.depth_reached) {
    auto it = s.ooo.begin();
    if (it->first > s.delivered) break;
    std::vector<std::uint8_t> seg = std::move(it->second);
    std::uint64_t off = it->first;
    s.ooo_bytes -= seg.size();
    mem_ -= seg.size();
    s.ooo.erase(it);
    std::uint64_t have = s.delivered - off;
    if (have >= seg.size()) continue;
    deliver(f, dir, Bytes(seg).subspan(have), ts_us);
  }
}

void TcpReassembler::gap_to_first_queued(Flow& f, Dir dir, std::int64_t ts_us) {
  StreamDir& s = f.stream[dir];
  if (s.ooo.empty()) return;
  std::uint64_t len = s.ooo.begin()->first - s.delivered;
  c_.inc(Counter::stream_gaps);
  c_.inc(Counter::stream_gap_bytes, len);
  s.next += std::uint32_t(len);
  s.delivered += len;
  sink_.stream_gap(f, dir, len);
  drain(f, dir, ts_us);
}

// The peer acknowledged bytes of `dir` we never saw: capture loss.
void TcpReassembler::check_acked(Flow& f, Dir dir, std::uint32_t ack, std::int64_t ts_us) {
  StreamDir& s = f.stream[dir];
  if (!s.init || s.depth_reached) return;
  std::int32_t ahead = std::int32_t(ack - s.next);
  if (ahead <= (s.fin ? 1 : 0)) return;
  if (!s.ooo.empty()) {
    if (std::int64_t(s.ooo.begin()->first - s.delivered) <= ahead)
      gap_to_first_queued(f, dir, ts_us);
    return;
  }
  std::uint64_t len = std::uint64_t(ahead) - (s.fin ? 1 : 0);
  if (len > (1u << 30)) return;  // nonsense ACK: not a loss we can reason about
  c_.inc(Counter::stream_gaps);
  c_.inc(Counter::stream_gap_bytes, len);
  s.next += std::uint32_t(len);
  s.delivered += len;
  sink_.stream_gap(f, dir, len);
}

void TcpReassembler::packet(Flow& f, Dir dir, const Packet& p) {
  StreamDir& s = f.stream[dir];
  std::uint8_t fl = p.tcp_flags;
  if (fl & kSyn) {
    if (!s.init) {
      s.init = true;
      s.next = p.seq + 1;
    }
    return;  // SYN data (TCP Fast Open) is not reassembled
  }
  if (fl & kRst) return;
  if (fl & kAck) check_acked(f, Dir(1 - dir), p.ack, p.ts_us);
  Bytes data = p.payload;
  if (data.empty()) {
    if (fl & kFin) s.fin = true;
    return;
  }
  if (!s.init) {
    s.init = true;
    s.next = p.seq;
    c_.inc(Counter::stream_no_syn);
  }
  if (s.depth_reached) return;
  c_.inc(Counter::stream_segments);

  std::int32_t rel = std::int32_t(p.seq - s.next);
  if (rel < 0) {
    std::uint64_t back = std::uint64_t(-std::int64_t(rel));
    if (back > s.delivered) back = s.delivered;  // before the stream start
    std::uint64_t offset = s.delivered - back;
    std::size_t olen = std::min<std::size_t>(data.size(), back);
    if (overlap_differs(s, offset, data.first(olen))) {
      c_.inc(Counter::stream_overlap_diff);
      sink_.stream_overlap(f, dir, offset, p.ts_us);
    } else {
      c_.inc(Counter::stream_retransmissions);
    }
    if (std::uint64_t(-std::int64_t(rel)) >= data.size()) return;
    data = data.subspan(std::size_t(-std::int64_t(rel)));
    rel = 0;
  }
  if (rel > 0) {
    std::uint64_t off = s.delivered + std::uint64_t(rel);
    c_.inc(Counter::stream_out_of_order);
    auto it = s.ooo.find(off);
    if (it != s.ooo.end()) {
      std::size_t n = std::min(it->second.size(), data.size());
      if (std::memcmp(it->second.data(), data.data(), n)) {
        c_.inc(Counter::stream_overlap_diff);
        sink_.stream_overlap(f, dir, off, p.ts_us);
      }
      if (it->second.size() >= data.size()) return;
      s.ooo_bytes -= it->second.size();
      mem_ -= it->second.size();
      s.ooo.erase(it);
    }
    if (mem_ + data.size() > cfg_.memcap) {
      c_.inc(Counter::stream_memcap);  // becomes a gap when the peer ACKs past it
      return;
    }
    s.ooo.emplace(off, std::vector<std::uint8_t>(data.begin(), data.end()));
    s.ooo_bytes += data.size();
    mem_ += data.size();
    if (s.ooo_bytes > cfg_.max_ooo_per_dir) gap_to_first_queued(f, dir, p.ts_us);
    return;
  }
  deliver(f, dir, data, p.ts_us);
  if (fl & kFin) s.fin = true;
  drain(f, dir, p.ts_us);
}

void TcpReassembler::finish(Flow& f, std::int64_t ts_us) {
  for (Dir d : {kToServer, kToClient}) {
    StreamDir& s = f.stream[d];
    while (!s.ooo.empty() && !s.depth_reached) gap_to_first_queued(f, d, ts_us);
    release(s);
  }
}

}  // namespace vigil::sensor

// Several threads reading one mapped pcap file at once (--threads N), with no
// reading thread and no queue of frames. The file is cut into segments of up
// to kSegmentBytes; the first walker to reach a segment indexes it: it walks
// the record headers and notes each record's offset and shard (one 8-byte
// entry). Every walker then goes through each segment's index and handles the
// records of its own shard in place. So whoever is ahead (has less work at
// that moment) does the indexing, and nobody waits for a reading thread.
//
// The index is a ring of kSegments segments: a walker may run up to that many
// segments (kSegments x kSegmentBytes = 80 MiB of file) ahead of the slowest
// one before it waits for it. That lead is what lets the workers overlap: real
// captures come in bursts of one connection (a download), i.e. of one shard,
// and the other worker runs ahead to its next packets instead of waiting.
// It also bounds the resident set: the indexer maps the pages ahead in one
// call and drops the pages of segments every walker has left.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "sensor/capture/mapped_pcap.h"

namespace vigil::sensor {

class MappedWalkers {
 public:
  static constexpr std::uint32_t kSegments = 80, kEntries = 2048;
  static constexpr std::uint64_t kSegmentBytes = 1u << 20;

  // `segment_bytes` below kSegmentBytes: tests, to go round the ring on small files.
  MappedWalkers(const MappedPcap& map, int walkers, std::uint64_t segment_bytes = kSegmentBytes);

  // shard() may return kEveryWalker | j (j < 64): every walker gets that record.
  static constexpr std::uint32_t kEveryWalker = 0x80;

  // Walker `i` (one thread each, 0 <= i < walkers) calls fn(record, offset
  // after it, shard(record)) for every record with shard(record) == i or with
  // kEveryWalker set, in file order, until the end, a damaged record or
  // `stop`. `shard` must give the same answer on every thread. Returns
  // kTruncated for a damaged file, else kEnd.
  template <class Shard, class Fn>
  MappedPcap::Next walk(int i, const std::atomic<bool>& stop, Shard&& shard, Fn&& fn) {
    MappedPcap::Record r;
    std::uint64_t pos = MappedPcap::start();  // where segment g starts
    for (std::uint32_t g = 0;; ++g) {
      Segment& s = segments_[g % kSegments];
      Claim c = acquire(g, s);
      SegmentEnd end;
      if (c == Claim::kBusy) {
        // Another walker is indexing it: walk it here rather than wait (a
        // sleep and wake-up costs more, and far more on a busy machine).
        end = records(pos, stop, r, [&](std::uint64_t, std::uint64_t after) {
          std::uint32_t sh = shard(r);
          if (takes(i, sh)) fn(r, after, sh);
        });
      } else {
        if (c == Claim::kMine) {
          prepare(pos, g >= kSegments ? s.end : 0);  // s.end: of segment g - kSegments
          std::uint32_t k = 0;
          SegmentEnd e = records(pos, stop, r, [&](std::uint64_t at, std::uint64_t) {
            s.entries[k++] = at | std::uint64_t(shard(r)) << 56;
          });
          s.count = k;
          s.end = e.pos;
          s.last = e.last;
          s.truncated = e.truncated;
          publish(g, s);
        }
        for (std::uint32_t k = 0; k < s.count; ++k) {
          std::uint64_t e = s.entries[k];
          std::uint32_t sh = std::uint32_t(e >> 56);
          if (!takes(i, sh)) continue;
          std::uint64_t at = e & kOffset;
          map_.read(at, r);  // indexed: a whole record; `at` moves past it
          fn(r, at, sh);
        }
        end = {s.end, s.last, s.truncated};
      }
      left(i, g + 1, end.last);  // the slot may be refilled from here on
      if (end.last) return end.truncated ? MappedPcap::Next::kTruncated : MappedPcap::Next::kEnd;
      pos = end.pos;
    }
  }

 private:
  static constexpr std::uint64_t kOffset = (std::uint64_t(1) << 56) - 1;
  static bool takes(int i, std::uint32_t sh) {
    return sh == std::uint32_t(i) || (sh & kEveryWalker);
  }
  struct Segment {
    // 2g+1: being indexed as segment g; 2g+2: segment g is ready.
    std::atomic<std::uint32_t> state{0};
    std::uint32_t count = 0;
    bool last = false, truncated = false;
    std::uint64_t end = 0;                          // offset after its last record
    std::array<std::uint64_t, kEntries> entries{};  // offset | shard << 56
  };
  struct SegmentEnd {
    std::uint64_t pos = 0;  // offset after its last record
    bool last = false, truncated = false;
  };
  // The records of the segment starting at `pos`, visit(offset, offset after)
  // with the record in `r`. Every walker cuts the file at the same places.
  template <class Visit>
  SegmentEnd records(std::uint64_t pos, const std::atomic<bool>& stop, MappedPcap::Record& r,
                     Visit&& visit) const {
    const std::uint64_t limit = pos + segment_bytes_;
    MappedPcap::Next n = MappedPcap::Next::kRecord;
    bool stopped = stop.load(std::memory_order_relaxed);
    for (std::uint32_t k = 0; !stopped && k < kEntries && pos < limit; ++k) {
      std::uint64_t at = pos;
      n = map_.read(pos, r);
      if (n != MappedPcap::Next::kRecord) break;
      // Each header's place is only known from the previous one (a chain of
      // cache misses); runs of same-size records are the common case (a
      // transfer), so the headers a few records on are fetched early (the
      // record header and the packet headers the shard hash reads span two
      // cache lines).
      const std::uint8_t* ahead = r.data.data() - 16 + 4 * (pos - at);
      __builtin_prefetch(ahead);
      __builtin_prefetch(ahead + 64);
      visit(at, pos);
    }
    return {pos, stopped || n != MappedPcap::Next::kRecord, n == MappedPcap::Next::kTruncated};
  }
  // kReady: segment g is indexed in `s`. kMine: this walker claimed it and
  // indexes it (after waiting until every walker left the slot's previous
  // segment: the lead bound). kBusy: another walker is indexing it.
  enum class Claim { kReady, kMine, kBusy };
  Claim acquire(std::uint32_t g, Segment& s);
  // Page work before indexing the segment that starts at `pos`; every walker
  // has passed `gone`.
  void prepare(std::uint64_t pos, std::uint64_t gone);
  void publish(std::uint32_t g, Segment& s);
  // Walker i finished `segments` segments (or the whole file).
  void left(int i, std::uint32_t segments, bool finished);

  const MappedPcap& map_;
  const int walkers_;
  const std::uint64_t segment_bytes_;
  std::unique_ptr<Segment[]> segments_;
  // Segments each walker has left; ~0 once it has finished the file.
  std::unique_ptr<std::atomic<std::uint32_t>[]> done_;
  std::mutex page_mu_;  // two walkers may index segments at once
  std::uint64_t populated_ = 0, released_ = 0;
};

}  // namespace vigil::sensor

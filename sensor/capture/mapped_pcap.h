// Zero-copy reader of classic pcap files through mmap: frames are views into
// the mapping, so the offline hot path does no read() copies (the libpcap
// file reader costs two: kernel -> stdio buffer -> libpcap buffer). It follows
// libpcap's record rules (see mapped_pcap.cpp) so both readers agree on every
// file; pcapng, byte-swapped and pre-2.4 files stay on libpcap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "sensor/common/reader.h"

namespace vigil::sensor {

class MappedPcap {
 public:
  struct Record {
    std::int64_t ts_us;
    Bytes data;
    std::uint32_t wirelen;
  };
  enum class Next { kRecord, kEnd, kTruncated };

  // Maps `path` when it is a regular, native byte order pcap 2.4 file; nullptr
  // otherwise (the caller keeps libpcap). `snapshot` is libpcap's snapshot
  // length for the file (pcap_snapshot), records above it are cut to it.
  static std::unique_ptr<MappedPcap> open(const std::string& path, std::uint32_t snapshot);
  ~MappedPcap();
  MappedPcap(const MappedPcap&) = delete;
  MappedPcap& operator=(const MappedPcap&) = delete;

  Next next(Record& r);
  // The record at `pos` (a file offset, start() for the first); on kRecord
  // `pos` moves past it. Const and page-agnostic: several threads may walk
  // the mapping at once, each with its own offset (MappedWalkers).
  Next read(std::uint64_t& pos, Record& r) const;
  static constexpr std::uint64_t start() { return 24; }
  std::uint64_t pos() const { return pos_; }
  std::uint64_t size() const { return size_; }
  // Drops the mapped pages below `off` from the resident set (they are only
  // re-read from the page cache if touched again): keeps the peak RSS bounded
  // on captures much larger than memory. Views below `off` stay valid memory.
  void release_before(std::uint64_t off);
  // The two page operations on [from, to) without bookkeeping (thread-safe):
  // map the pages in one call, drop them from the resident set.
  void populate_range(std::uint64_t from, std::uint64_t to) const;
  void drop_range(std::uint64_t from, std::uint64_t to) const;
  std::uint64_t page_size() const { return page_; }

 private:
  MappedPcap() = default;
  void populate();
  static constexpr std::uint64_t kWindow = 4u << 20;
  const std::uint8_t* base_ = nullptr;
  std::uint64_t size_ = 0, pos_ = 0, released_ = 0, populated_ = 0, page_ = 4096;
  std::uint32_t snapshot_ = 0;
  bool nanos_ = false;
};

}  // namespace vigil::sensor

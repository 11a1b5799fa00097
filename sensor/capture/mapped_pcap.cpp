#include "sensor/capture/mapped_pcap.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <memory>

namespace vigil::sensor {

namespace {

constexpr std::uint32_t kMagicMicro = 0xa1b2c3d4;
constexpr std::uint32_t kMagicNano = 0xa1b23c4d;
constexpr std::size_t kFileHeader = MappedPcap::start(), kRecordHeader = 16;
// libpcap's MAXIMUM_SNAPLEN: a bigger caplen is a damaged file and ends the read.
constexpr std::uint32_t kMaxSnaplen = 262144;
#ifdef MADV_POPULATE_READ
constexpr int kPopulateRead = MADV_POPULATE_READ;
#else
constexpr int kPopulateRead = 22;  // Linux 5.14
#endif

std::uint32_t load32(const std::uint8_t* p) {  // unaligned, native byte order
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

std::unique_ptr<MappedPcap> MappedPcap::open(const std::string& path, std::uint32_t snapshot) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  std::uint8_t hdr[kFileHeader];
  bool fits = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              std::uint64_t(st.st_size) >= kFileHeader &&
              pread(fd, hdr, sizeof hdr, 0) == ssize_t(sizeof hdr);
  std::uint32_t magic = fits ? load32(hdr) : 0;
  std::uint16_t major = 0, minor = 0;
  if (fits) {
    std::memcpy(&major, hdr + 4, 2);
    std::memcpy(&minor, hdr + 6, 2);
  }
  // Version 2.3 and older may have caplen/len swapped; libpcap knows how.
  if ((magic != kMagicMicro && magic != kMagicNano) || major != 2 || minor < 4) {
    ::close(fd);
    return nullptr;
  }
  void* m = mmap(nullptr, std::size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file
  if (m == MAP_FAILED) return nullptr;
  madvise(m, std::size_t(st.st_size), MADV_SEQUENTIAL);  // aggressive read-ahead
  auto r = std::unique_ptr<MappedPcap>(new MappedPcap);
  r->base_ = static_cast<const std::uint8_t*>(m);
  r->size_ = std::uint64_t(st.st_size);
  r->pos_ = kFileHeader;
  r->snapshot_ = snapshot ? snapshot : kMaxSnaplen;
  r->nanos_ = magic == kMagicNano;
  r->page_ = std::uint64_t(sysconf(_SC_PAGESIZE));
  return r;
}

MappedPcap::~MappedPcap() {
  if (base_) munmap(const_cast<std::uint8_t*>(base_), size_);
}

// The rules of libpcap 1.10's sf-pcap.c pcap_next_packet: a partial record
// header or body is a truncated file; a caplen above the maximum snapshot ends
// the read as an error (also reported as truncated by the source); a caplen
// above the file's snapshot delivers the first `snapshot` bytes and skips the rest.
MappedPcap::Next MappedPcap::next(Record& r) {
  if (pos_ + kWindow / 2 >= populated_ && populated_ < size_) populate();
  return read(pos_, r);
}

MappedPcap::Next MappedPcap::read(std::uint64_t& pos, Record& r) const {
  std::uint64_t left = size_ - pos;
  if (left == 0) return Next::kEnd;
  if (left < kRecordHeader) return Next::kTruncated;
  const std::uint8_t* h = base_ + pos;
  std::uint32_t sec = load32(h), frac = load32(h + 4), caplen = load32(h + 8);
  r.wirelen = load32(h + 12);
  if (caplen > kMaxSnaplen) return Next::kTruncated;
  if (left - kRecordHeader < caplen) return Next::kTruncated;
  // Signed, as libpcap's on-disk `struct pcap_timeval` (bpf_int32) is; a
  // nanosecond fraction is scaled down as an unsigned value, as libpcap does.
  r.ts_us = std::int64_t(std::int32_t(sec)) * 1'000'000 +
            (nanos_ ? std::int64_t(frac / 1000) : std::int64_t(std::int32_t(frac)));
  r.data = Bytes(h + kRecordHeader, std::min(caplen, snapshot_));
  pos += kRecordHeader + caplen;
  return Next::kRecord;
}

// Maps the next window's pages in one call instead of one page fault per
// 64 KiB (fault-around) as the reader walks in. Linux >= 5.14; without it the
// faults do the same work.
void MappedPcap::populate() {
  std::uint64_t from = std::max(populated_, pos_ / page_ * page_);
  const std::uint64_t to = std::min<std::uint64_t>(from + kWindow, size_);
  populate_range(from, to);
  populated_ = to;
}

void MappedPcap::populate_range(std::uint64_t from, std::uint64_t to) const {
  from = from / page_ * page_;
  to = std::min(to, size_);
  if (from < to) madvise(const_cast<std::uint8_t*>(base_) + from, to - from, kPopulateRead);
}

void MappedPcap::drop_range(std::uint64_t from, std::uint64_t to) const {
  from = from / page_ * page_;
  to = std::min(to, size_) / page_ * page_;
  if (from < to) madvise(const_cast<std::uint8_t*>(base_) + from, to - from, MADV_DONTNEED);
}

void MappedPcap::release_before(std::uint64_t off) {
  off = std::min(off, size_) / page_ * page_;
  if (off <= released_) return;
  drop_range(released_, off);
  released_ = off;
}

}  // namespace vigil::sensor

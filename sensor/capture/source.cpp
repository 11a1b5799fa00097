#include "sensor/capture/source.h"

#include <grp.h>
#include <pcap/pcap.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vigil::sensor {

PcapSource::PcapSource(pcap* h, std::string name, bool live)
    : h_(h), name_(std::move(name)), live_(live) {}

PcapSource::~PcapSource() {
  if (filter_) pcap_freecode(filter_.get());
  if (h_) pcap_close(h_);
}

Result<std::unique_ptr<PcapSource>> PcapSource::open_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return Error{path, std::strerror(errno)};
  if (S_ISDIR(st.st_mode)) return Error{path, "is a directory"};
  if (access(path.c_str(), R_OK) != 0) return Error{path, std::strerror(errno)};
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap* h = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, err);
  if (!h) return Error{path, std::string("not a readable pcap/pcapng file (") + err + ")"};
  auto src = std::unique_ptr<PcapSource>(new PcapSource(h, path, false));
  src->file_size_ = std::uint64_t(st.st_size);
  // libpcap validated the file header and gave the link type; classic pcap
  // records are then read in place from a mapping (pcapng stays on libpcap).
  src->map_ = MappedPcap::open(path, std::uint32_t(pcap_snapshot(h)));
  return src;
}

Result<std::unique_ptr<PcapSource>> PcapSource::open_live(const std::string& iface,
                                                          const LiveOptions& opt) {
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap* h = pcap_create(iface.c_str(), err);
  if (!h) return Error{iface, err};
  pcap_set_snaplen(h, opt.snaplen);
  pcap_set_promisc(h, opt.promisc ? 1 : 0);
  pcap_set_immediate_mode(h, 1);  // low latency: do not wait for the buffer to fill
  pcap_set_buffer_size(h, opt.buffer_mb << 20);
  pcap_set_timeout(h, 100);
  int rc = pcap_activate(h);
  if (rc < 0) {
    std::string msg = pcap_geterr(h);
    if (msg.empty()) msg = pcap_statustostr(rc);
    pcap_close(h);
    return Error{iface, msg};
  }
  return std::unique_ptr<PcapSource>(new PcapSource(h, iface, true));
}

Status PcapSource::set_filter(const std::string& bpf) {
  if (bpf.empty()) return ok_status();
  bpf_program prog{};
  if (pcap_compile(h_, &prog, bpf.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
    return Error{"--bpf", std::string("invalid filter '") + bpf + "': " + pcap_geterr(h_)};
  if (map_) {  // run_mapped applies it with pcap_offline_filter
    filter_ = std::make_unique<bpf_program>(prog);
    return ok_status();
  }
  int rc = pcap_setfilter(h_, &prog);
  pcap_freecode(&prog);
  if (rc != 0) return Error{"--bpf", pcap_geterr(h_)};
  return ok_status();
}

int PcapSource::datalink() const {
  return pcap_datalink(h_);
}

void PcapSource::break_loop() {
  pcap_breakloop(h_);
}

std::uint64_t PcapSource::file_pos() const {
  if (live_) return 0;
  if (map_) return map_->pos();
  FILE* f = pcap_file(h_);
  long pos = f ? std::ftell(f) : -1;
  return pos < 0 ? 0 : std::uint64_t(pos);
}

void PcapSource::drops(std::uint64_t& kernel, std::uint64_t& iface) const {
  kernel = iface = 0;
  if (!live_) return;
  pcap_stat st{};
  if (pcap_stats(h_, &st) == 0) {
    kernel = st.ps_drop;
    iface = st.ps_ifdrop;
  }
}

// pcap_offline_filter only reads the program: safe from several threads.
bool PcapSource::passes_filter(Bytes frame, std::uint32_t wirelen) const {
  if (!filter_) return true;
  pcap_pkthdr hdr{};
  hdr.caplen = std::uint32_t(frame.size());
  hdr.len = wirelen;
  return pcap_offline_filter(filter_.get(), &hdr, frame.data()) != 0;
}

Status PcapSource::run_mapped(const Frame& fn, const std::atomic<bool>& stop) {
  constexpr std::uint64_t kReleaseEvery = 8u << 20;
  std::uint64_t next_release = kReleaseEvery;
  MappedPcap::Record r;
  while (!stop.load(std::memory_order_relaxed)) {
    MappedPcap::Next n = map_->next(r);
    if (n == MappedPcap::Next::kEnd) break;
    if (n == MappedPcap::Next::kTruncated) {
      truncated_ = true;
      break;
    }
    if (!passes_filter(r.data, r.wirelen)) continue;
    fn(r.ts_us, r.data, r.wirelen);
    if (map_->pos() >= next_release) {
      map_->release_before(map_->pos());
      next_release = map_->pos() + kReleaseEvery;
    }
  }
  return ok_status();
}

Status PcapSource::run(const Frame& fn, const std::atomic<bool>& stop) {
  if (map_) return run_mapped(fn, stop);
  while (!stop.load(std::memory_order_relaxed)) {
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    int rc = pcap_next_ex(h_, &hdr, &data);
    if (rc == 1) {
      std::int64_t ts = std::int64_t(hdr->ts.tv_sec) * 1'000'000 + hdr->ts.tv_usec;
      fn(ts, Bytes(data, hdr->caplen), hdr->len);
    } else if (rc == 0) {
      continue;  // live timeout
    } else if (rc == PCAP_ERROR_BREAK) {
      break;
    } else {
      if (live_) return Error{name_, pcap_geterr(h_)};
      truncated_ = true;  // e.g. "truncated dump file": keep what we have
      break;
    }
  }
  return ok_status();
}

Status drop_privileges(const std::string& user) {
  if (geteuid() != 0 || user.empty()) return ok_status();
  passwd* pw = getpwnam(user.c_str());
  if (!pw) return Error{"--user", "unknown user '" + user + "'"};
  if (setgroups(0, nullptr) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
    return Error{"--user", std::string("cannot drop privileges: ") + std::strerror(errno)};
  if (setuid(0) == 0) return Error{"--user", "privileges could be regained after drop"};
  return ok_status();
}

}  // namespace vigil::sensor

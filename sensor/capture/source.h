// Packet sources: an offline file (pcap or pcapng) or a live interface.
// The source hands each frame to a callback as a view: into the file mapping
// for classic pcap files (MappedPcap), else into libpcap's buffer (valid only
// during the callback).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/util/result.h"
#include "sensor/capture/mapped_pcap.h"
#include "sensor/common/reader.h"

struct pcap;
struct bpf_program;

namespace vigil::sensor {

struct LiveOptions {
  int snaplen = 262144;
  int buffer_mb = 64;
  bool promisc = true;
  std::string user = "nobody";  // privileges dropped to this user after the handle is open
};

class PcapSource {
 public:
  using Frame = std::function<void(std::int64_t ts_us, Bytes frame, std::uint32_t wirelen)>;

  static Result<std::unique_ptr<PcapSource>> open_file(const std::string& path);
  static Result<std::unique_ptr<PcapSource>> open_live(const std::string& iface,
                                                       const LiveOptions& opt);
  ~PcapSource();

  Status set_filter(const std::string& bpf);
  int datalink() const;
  // Reads until end of file, error, or `stop`. A truncated file ends the loop
  // with `truncated` set (not an error: what was read is processed).
  Status run(const Frame& fn, const std::atomic<bool>& stop);
  void break_loop();
  bool truncated() const { return truncated_; }
  // True when frames stay readable after the callback returns (file mapping).
  bool stable_frames() const { return map_ != nullptr; }
  // The mapping of a classic pcap file (null otherwise): several threads may
  // walk it at once (MappedWalkers), each asking passes_filter() for the
  // frames it keeps and reporting a damaged file with set_truncated().
  const MappedPcap* mapping() const { return map_.get(); }
  bool passes_filter(Bytes frame, std::uint32_t wirelen) const;
  void set_truncated() { truncated_ = true; }
  // Offline: bytes consumed (up to the end of the frame being delivered) and
  // file size (progress bar).
  std::uint64_t file_pos() const;
  std::uint64_t file_size() const { return file_size_; }
  // Live: kernel and interface drops so far.
  void drops(std::uint64_t& kernel, std::uint64_t& iface) const;
  bool live() const { return live_; }

 private:
  PcapSource(pcap* h, std::string name, bool live);
  Status run_mapped(const Frame& fn, const std::atomic<bool>& stop);
  pcap* h_;
  std::unique_ptr<MappedPcap> map_;
  std::unique_ptr<::bpf_program> filter_;  // mapped files: applied by passes_filter()
  std::string name_;
  bool live_;
  bool truncated_ = false;
  std::uint64_t file_size_ = 0;
};

// Drops root to `user` (no-op when not root). Called after opening the capture.
Status drop_privileges(const std::string& user);

}  // namespace vigil::sensor

// libpcap packet sources: an offline file (pcap or pcapng) or a live interface.
// The source hands each frame to a callback as a view into libpcap's buffer.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/util/result.h"
#include "sensor/common/reader.h"

struct pcap;

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
  // Offline: bytes consumed and file size (progress bar).
  std::uint64_t file_pos() const;
  std::uint64_t file_size() const { return file_size_; }
  // Live: kernel and interface drops so far.
  void drops(std::uint64_t& kernel, std::uint64_t& iface) const;
  bool live() const { return live_; }

 private:
  explicit PcapSource(pcap* h, std::string name, bool live)
      : h_(h), name_(std::move(name)), live_(live) {}
  pcap* h_;
  std::string name_;
  bool live_;
  bool truncated_ = false;
  std::uint64_t file_size_ = 0;
};

// Drops root to `user` (no-op when not root). Called after opening the capture.
Status drop_privileges(const std::string& user);

}  // namespace vigil::sensor

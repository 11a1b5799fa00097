#include "sensor/engine/runner.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "sensor/decode/decoder.h"
#include "sensor/decode/shard.h"
#include "sensor/engine/worker.h"

namespace vigil::sensor {

namespace {

constexpr std::uint64_t kNoOffset = ~std::uint64_t(0);

// Frames for one worker, in batches so a queue lock is taken once per batch,
// not per packet. From a mapped file the refs point into the mapping (zero
// copy); from libpcap (live) the frames are copied into `data`.
struct Batch {
  struct Ref {
    std::int64_t ts_us;
    const std::uint8_t* p;  // null: the frame is at `off` in `data`
    std::uint32_t off, len, wirelen;
  };
  std::vector<std::uint8_t> data;
  std::vector<Ref> refs;
  std::uint64_t first_off = kNoOffset;  // file offset of the first frame (mapped)
  std::size_t bytes = 0;
  Bytes frame(const Ref& r) const { return {r.p ? r.p : data.data() + r.off, r.len}; }
  void clear() {
    data.clear();
    refs.clear();
    first_off = kNoOffset;
    bytes = 0;
  }
};

class Lane {  // bounded queue of batches from the reader to one worker
 public:
  static constexpr std::size_t kDepth = 8;
  void push(std::unique_ptr<Batch> b) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [&] { return q_.size() < kDepth; });
    q_.push_back(std::move(b));
    cv_.notify_all();
  }
  // Gives back the worker's finished batch (may be null) and takes the next
  // one; nullptr once the lane is closed and empty.
  std::unique_ptr<Batch> next(std::unique_ptr<Batch> done) {
    std::unique_lock<std::mutex> lk(mu_);
    if (done) {
      done->clear();
      free_.push_back(std::move(done));
    }
    busy_off_ = kNoOffset;
    cv_.wait(lk, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return nullptr;
    auto b = std::move(q_.front());
    q_.pop_front();
    busy_off_ = b->first_off;
    cv_.notify_all();
    return b;
  }
  void close() {
    std::lock_guard<std::mutex> lk(mu_);
    closed_ = true;
    cv_.notify_all();
  }
  std::unique_ptr<Batch> fresh() {
    std::lock_guard<std::mutex> lk(mu_);
    if (free_.empty()) return std::make_unique<Batch>();
    auto b = std::move(free_.back());
    free_.pop_back();
    return b;
  }
  // Lowest file offset a queued or in-process batch still reads.
  std::uint64_t oldest() {
    std::lock_guard<std::mutex> lk(mu_);
    std::uint64_t o = busy_off_;
    for (const auto& b : q_) o = std::min(o, b->first_off);
    return o;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Batch>> q_;
  std::vector<std::unique_ptr<Batch>> free_;
  std::uint64_t busy_off_ = kNoOffset;
  bool closed_ = false;
};

}  // namespace

Json RunStats::to_json() const {
  Json j;
  j["packets"] = counters.get(Counter::packets);
  j["bytes"] = counters.get(Counter::bytes);
  j["threads"] = threads;
  j["datalink"] = datalink;
  j["wall_seconds"] = wall_seconds;
  if (last_ts_us) {
    j["first_packet"] = format_ts(first_ts_us);
    j["last_packet"] = format_ts(last_ts_us);
  }
  Json c = Json::object();
  for (std::size_t i = 0; i < kCounterCount; ++i) c[std::string(kCounterNames[i])] = counters.v[i];
  j["counters"] = c;
  return j;
}

std::string RunStats::summary() const {
  std::ostringstream o;
  auto g = [&](Counter c) { return counters.get(c); };
  o << "vigil sensor: " << g(Counter::packets) << " packets, " << g(Counter::bytes) << " bytes in "
    << wall_seconds << " s (" << threads << " thread" << (threads > 1 ? "s" : "") << ")\n";
  o << "  flows: " << g(Counter::flows_created) << " created, " << g(Counter::flows_ended)
    << " ended, " << g(Counter::flows_evicted) << " evicted; events: " << g(Counter::events)
    << "\n";
  o << "  stream: " << g(Counter::stream_gaps) << " gaps, " << g(Counter::stream_memcap)
    << " memcap hits, " << g(Counter::stream_overlap_diff) << " overlaps with different data\n";
  std::string anomalies;
  for (std::size_t i = 0; i < kCounterCount; ++i) {
    std::string_view n = kCounterNames[i];
    if (!counters.v[i]) continue;
    if (n.starts_with("decode.") || n.starts_with("defrag.overlap") ||
        n.starts_with("defrag.memcap") || n.ends_with(".malformed") ||
        n.starts_with("capture.file_truncated") || n.starts_with("capture.kernel") ||
        n.starts_with("capture.interface"))
      anomalies += "    " + std::string(n) + " " + std::to_string(counters.v[i]) + "\n";
  }
  if (!anomalies.empty()) o << "  counters:\n" << anomalies;
  return o.str();
}

Result<RunStats> run_sensor(const RunOptions& opt, const SensorConfig& cfg, EventSink& sink) {
  auto t0 = std::chrono::steady_clock::now();
  RunStats stats;
  std::unique_ptr<PcapSource> src;
  if (!opt.read_file.empty()) {
    auto r = PcapSource::open_file(opt.read_file);
    if (!r) return r.error();
    src = std::move(r.value());
  } else {
    auto r = PcapSource::open_live(opt.iface, opt.live);
    if (!r) return r.error();
    src = std::move(r.value());
    if (auto d = drop_privileges(opt.live.user); !d) return d.error();
  }
  if (auto f = src->set_filter(opt.bpf); !f) return f.error();
  int dlt = src->datalink();
  stats.datalink = dlt;
  if (!link_type_supported(dlt))
    return Error{opt.read_file.empty() ? opt.iface : opt.read_file,
                 "unsupported link type " + std::to_string(dlt)};

  std::atomic<bool> never{false};
  const std::atomic<bool>& stop = opt.stop ? *opt.stop : never;
  int n = std::max(1, std::min(opt.threads, 64));
  stats.threads = n;
  // Each worker gets its share of the global caps so the totals stay bounded.
  SensorConfig wcfg = cfg;
  wcfg.flow.max_flows = std::max<std::size_t>(1, cfg.flow.max_flows / n);
  wcfg.stream.memcap = cfg.stream.memcap / n;
  wcfg.defrag.memcap = cfg.defrag.memcap / n;
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < n; ++i) workers.push_back(std::make_unique<Worker>(wcfg, sink));

  std::uint64_t count = 0;
  auto note = [&](std::int64_t ts) {
    if (!stats.first_ts_us) stats.first_ts_us = ts;
    stats.last_ts_us = std::max(stats.last_ts_us, ts);
    if ((++count & 0xffff) == 0) {
      if (opt.progress && !src->live()) opt.progress(src->file_pos(), src->file_size());
      if (opt.print_stats && opt.print_stats->exchange(false)) {
        RunStats now;
        for (auto& w : workers) now.counters.add(w->counters());
        now.threads = n;
        std::fputs(now.summary().c_str(), stderr);
      }
    }
  };

  // Live mode: a signal only sets `stop`; libpcap may sit in poll() in immediate
  // mode, so a watcher wakes it with pcap_breakloop (eventfd-backed since 1.10).
  std::atomic<bool> done{false};
  std::thread watcher;
  if (src->live() && opt.stop) {
    watcher = std::thread([&] {
      while (!done.load()) {
        if (opt.stop->load()) {
          src->break_loop();
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }

  Status st = ok_status();
  if (n == 1) {
    Worker& w = *workers[0];
    st = src->run(
        [&](std::int64_t ts, Bytes frame, std::uint32_t wirelen) {
          note(ts);
          w.process(dlt, ts, frame, wirelen);
        },
        stop);
    w.finish(stats.last_ts_us);
  } else {
    // The reading thread only slices records and routes each to its flow's
    // worker; batches of mapped frames are views, so nothing is copied.
    const bool in_place = src->stable_frames();
    src->hold_frames(true);
    std::vector<Lane> lanes(n);
    std::vector<std::unique_ptr<Batch>> cur(n);
    for (int i = 0; i < n; ++i) cur[i] = lanes[i].fresh();
    std::vector<std::thread> threads;
    std::atomic<std::int64_t> capture_end{0};
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        Worker& w = *workers[i];
        std::unique_ptr<Batch> b;
        while ((b = lanes[i].next(std::move(b))))
          for (const Batch::Ref& r : b->refs) w.process(dlt, r.ts_us, b->frame(r), r.wirelen);
        w.finish(capture_end.load());
      });
    }
    // Mapped pages every worker is done with leave the resident set.
    constexpr std::uint64_t kReleaseEvery = 8u << 20;
    std::uint64_t next_release = kReleaseEvery;
    // A lane that gets few packets (the other one carries a transfer) would
    // pin old pages with its unfinished batch: such a batch is sent as it is.
    auto release = [&] {
      const std::uint64_t pos = src->file_pos();
      std::uint64_t low = pos;
      for (int i = 0; i < n; ++i) {
        if (!cur[i]->refs.empty() && pos - cur[i]->first_off > kReleaseEvery) {
          lanes[i].push(std::move(cur[i]));
          cur[i] = lanes[i].fresh();
        }
        low = std::min({low, lanes[i].oldest(), cur[i]->first_off});
      }
      src->release_before(low);
    };
    st = src->run(
        [&](std::int64_t ts, Bytes frame, std::uint32_t wirelen) {
          note(ts);
          int k = int(shard_hash(dlt, frame) % std::uint32_t(n));
          Batch& b = *cur[k];
          if (in_place) {
            if (b.refs.empty()) b.first_off = src->file_pos() - frame.size();
            b.refs.push_back({ts, frame.data(), 0, std::uint32_t(frame.size()), wirelen});
          } else {
            b.refs.push_back(
                {ts, nullptr, std::uint32_t(b.data.size()), std::uint32_t(frame.size()), wirelen});
            b.data.insert(b.data.end(), frame.begin(), frame.end());
          }
          b.bytes += frame.size();
          if (b.refs.size() >= 512 || b.bytes >= (1u << 20)) {
            lanes[k].push(std::move(cur[k]));
            cur[k] = lanes[k].fresh();
          }
          if (in_place && src->file_pos() >= next_release) {
            release();
            next_release = src->file_pos() + kReleaseEvery;
          }
        },
        stop);
    capture_end.store(stats.last_ts_us);
    for (int i = 0; i < n; ++i) {
      if (!cur[i]->refs.empty()) lanes[i].push(std::move(cur[i]));
      lanes[i].close();
    }
    for (auto& t : threads) t.join();
  }
  done.store(true);
  if (watcher.joinable()) watcher.join();
  for (auto& w : workers) stats.counters.add(w->counters());
  if (src->truncated()) stats.counters.inc(Counter::file_truncated);
  std::uint64_t kd = 0, id = 0;
  src->drops(kd, id);
  stats.counters.inc(Counter::kernel_drops, kd);
  stats.counters.inc(Counter::if_drops, id);
  sink.flush();
  stats.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!st) return st.error();
  return stats;
}

}  // namespace vigil::sensor

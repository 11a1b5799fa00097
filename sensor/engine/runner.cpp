#include "sensor/engine/runner.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <latch>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "sensor/capture/mapped_walkers.h"
#include "sensor/decode/decoder.h"
#include "sensor/decode/shard.h"
#include "sensor/engine/worker.h"

namespace vigil::sensor {

namespace {

// Frames for one worker, copied (libpcap reuses its buffer), in batches so a
// queue lock is taken once per batch, not per packet.
struct Batch {
  struct Ref {
    std::int64_t ts_us;
    std::uint32_t off, len, wirelen;
    Delivery how;
  };
  std::vector<std::uint8_t> data;
  std::vector<Ref> refs;
  Bytes frame(const Ref& r) const { return {data.data() + r.off, r.len}; }
  void clear() {
    data.clear();
    refs.clear();
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
    cv_.wait(lk, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return nullptr;
    auto b = std::move(q_.front());
    q_.pop_front();
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

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Batch>> q_;
  std::vector<std::unique_ptr<Batch>> free_;
  bool closed_ = false;
};

// Worker `i`'s part in a frame that shard() placed in `shard` (of n workers):
// a fragment of a TCP segment is every worker's (MappedWalkers::kEveryWalker)
// and counted by the worker of its address pair.
Delivery delivery(std::uint32_t shard, int i) {
  if (!(shard & MappedWalkers::kEveryWalker)) return Delivery::kShard;
  return (shard & ~MappedWalkers::kEveryWalker) == std::uint32_t(i) ? Delivery::kCountedFragment
                                                                    : Delivery::kFragmentCopy;
}

std::uint32_t shard(int dlt, Bytes frame, int n) {
  FrameShard s = frame_shard(dlt, frame);
  std::uint32_t k = s.hash % std::uint32_t(n);
  return s.tcp_fragment ? (k | MappedWalkers::kEveryWalker) : k;
}

// What one walker saw of the capture's timestamps (its shard's packets).
struct WalkerSpan {
  std::int64_t first_ts = 0, last_ts = 0;
  std::uint64_t first_pos = 0;
  void note(std::int64_t ts, std::uint64_t pos) {
    if (!first_ts) {
      first_ts = ts;
      first_pos = pos;
    }
    last_ts = std::max(last_ts, ts);
  }
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
  for (int i = 0; i < n; ++i) workers.push_back(std::make_unique<Worker>(wcfg, sink, i, n));

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
  } else if (const MappedPcap* map = src->mapping()) {
    // A mapped file: every worker walks all records and keeps its shard's.
    MappedWalkers walkers(*map, n);
    std::vector<WalkerSpan> spans(static_cast<std::size_t>(n));
    std::latch walked(n);
    std::atomic<bool> truncated{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        Worker& w = *workers[std::size_t(i)];
        WalkerSpan& span = spans[std::size_t(i)];
        std::uint64_t records = 0;
        auto shard_of = [&](const MappedPcap::Record& r) { return shard(dlt, r.data, n); };
        auto visit = [&](const MappedPcap::Record& r, std::uint64_t pos, std::uint32_t sh) {
          if (i == 0 && (++records & 0xffff) == 0 && opt.progress)
            opt.progress(pos, src->file_size());
          if (!src->passes_filter(r.data, r.wirelen)) return;
          span.note(r.ts_us, pos);
          w.process(dlt, r.ts_us, r.data, r.wirelen, delivery(sh, i));
        };
        auto end = walkers.walk(i, stop, shard_of, visit);
        if (end == MappedPcap::Next::kTruncated) truncated.store(true);
        // Flows still open end at the capture's last timestamp, over all shards.
        walked.arrive_and_wait();
        std::int64_t capture_end = 0;
        for (const WalkerSpan& s : spans) capture_end = std::max(capture_end, s.last_ts);
        w.finish(capture_end);
      });
    }
    for (auto& t : threads) t.join();
    if (truncated.load()) src->set_truncated();
    // As note() does on one thread: the first non-zero timestamp in file order, the largest.
    const WalkerSpan* first = nullptr;
    for (const WalkerSpan& s : spans) {
      stats.last_ts_us = std::max(stats.last_ts_us, s.last_ts);
      if (s.first_ts && (!first || s.first_pos < first->first_pos)) first = &s;
    }
    if (first) stats.first_ts_us = first->first_ts;
  } else {
    // Live or libpcap-read files: the reading thread only slices records and
    // routes each to its flow's worker in batches (frames copied); a fragment
    // of a TCP segment to every worker, as the walkers above get it.
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
          for (const Batch::Ref& r : b->refs)
            w.process(dlt, r.ts_us, b->frame(r), r.wirelen, r.how);
        w.finish(capture_end.load());
      });
    }
    st = src->run(
        [&](std::int64_t ts, Bytes frame, std::uint32_t wirelen) {
          note(ts);
          auto route = [&](int k, Delivery how) {
            Batch& b = *cur[k];
            b.refs.push_back(
                {ts, std::uint32_t(b.data.size()), std::uint32_t(frame.size()), wirelen, how});
            b.data.insert(b.data.end(), frame.begin(), frame.end());
            if (b.refs.size() >= 512 || b.data.size() >= (1u << 20)) {
              lanes[k].push(std::move(cur[k]));
              cur[k] = lanes[k].fresh();
            }
          };
          std::uint32_t sh = shard(dlt, frame, n);
          if (!(sh & MappedWalkers::kEveryWalker))
            route(int(sh), Delivery::kShard);
          else  // fragments are rare: a copy for each worker
            for (int k = 0; k < n; ++k) route(k, delivery(sh, k));
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

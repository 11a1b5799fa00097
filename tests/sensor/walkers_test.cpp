// --threads N on a mapped pcap file: every worker walks the file itself
// (capture/mapped_walkers.h). Each walker must get exactly the records of its
// shard and those marked for every walker, in file order, and stop where the one-thread reader
// stops, also when the index ring is reused many times (tiny segments) and on damaged files; and
// the sensor's events must not depend on the number of threads (pcapng, read by libpcap, still goes
// through one reading thread).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <random>
#include <thread>

#include "sensor/capture/mapped_walkers.h"
#include "sensor/decode/decoder.h"
#include "sensor/decode/shard.h"
#include "sensor_test_util.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {

struct Rec {
  std::uint64_t end;  // offset after the record
  std::int64_t ts_us;
  std::string data;
  std::uint32_t wirelen;
  std::uint32_t shard;  // as handed to the walker
  bool operator==(const Rec&) const = default;
};

// The records of a shard, and some that every walker gets (as the sensor
// hands out fragments of TCP segments): about one flow in 16.
std::uint32_t shard_of(const MappedPcap::Record& r, int n) {
  std::uint32_t h = shard_hash(kDltEthernet, r.data), k = h % std::uint32_t(n);
  return (h >> 8) % 16 == 0 ? k | MappedWalkers::kEveryWalker : k;
}

// The one-thread reader, split by shard afterwards.
std::vector<std::vector<Rec>> expected(const std::string& path, int n, bool& truncated) {
  auto m = MappedPcap::open(path, 262144);
  REQUIRE(m);
  std::vector<std::vector<Rec>> out(std::size_t(n), std::vector<Rec>{});
  MappedPcap::Record r;
  MappedPcap::Next next;
  while ((next = m->next(r)) == MappedPcap::Next::kRecord) {
    std::uint32_t sh = shard_of(r, n);
    for (int i = 0; i < n; ++i)
      if (sh == std::uint32_t(i) || (sh & MappedWalkers::kEveryWalker))
        out[std::size_t(i)].push_back(
            {m->pos(), r.ts_us, std::string(as_sv(r.data)), r.wirelen, sh});
  }
  truncated = next == MappedPcap::Next::kTruncated;
  return out;
}

void walk_and_compare(const std::string& path, int n, std::uint64_t segment_bytes) {
  INFO(path << ", " << n << " walkers, segments of " << segment_bytes << " bytes");
  bool truncated = false;
  auto want = expected(path, n, truncated);
  auto m = MappedPcap::open(path, 262144);
  REQUIRE(m);
  MappedWalkers walkers(*m, n, segment_bytes);
  std::vector<std::vector<Rec>> got(std::size_t(n), std::vector<Rec>{});
  std::vector<int> ends(std::size_t(n), -1);
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      auto shard = [&](const MappedPcap::Record& r) { return shard_of(r, n); };
      auto end = walkers.walk(
          i, stop, shard, [&](const MappedPcap::Record& r, std::uint64_t pos, std::uint32_t sh) {
            got[std::size_t(i)].push_back(
                {pos, r.ts_us, std::string(as_sv(r.data)), r.wirelen, sh});
          });
      ends[std::size_t(i)] = end == MappedPcap::Next::kTruncated ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < n; ++i) {
    INFO("walker " << i);
    CHECK(got[std::size_t(i)].size() == want[std::size_t(i)].size());
    CHECK(got[std::size_t(i)] == want[std::size_t(i)]);
    CHECK(ends[std::size_t(i)] == (truncated ? 1 : 0));
  }
}

std::string merged_corpus() {
  std::string merged = tmp_dir() + "/walkers_merged.pcap";
  std::string cmd = "mergecap -F pcap -w '" + merged + "'";
  for (const auto& f : corpus_files()) cmd += " '" + corpus(f) + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  return merged;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> canon(const Run& r) {
  std::vector<std::string> out;
  for (const auto& e : r.events) out.push_back(e.dump());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("walkers: each gets exactly its shard's records in file order",
          "[sensor][threads][capture]") {
  std::string merged = merged_corpus();
  REQUIRE(std::ifstream(merged).good());
  bool truncated = false;
  std::size_t every = 0;
  auto two = expected(merged, 2, truncated);
  for (const Rec& rec : two[0]) every += (rec.shard & MappedWalkers::kEveryWalker) != 0;
  CHECK(every > 10);
  // 2 KiB segments go round the ring of 80 several times on the ~0.5 MB file,
  // so slots are refilled while slower walkers still read older ones.
  for (int n : {1, 2, 3, 5}) walk_and_compare(merged, n, 2048);
  walk_and_compare(merged, 2, MappedWalkers::kSegmentBytes);  // one segment
  walk_and_compare(merged, 2, 1);                             // one record per segment
}

TEST_CASE("walkers: damaged and empty files end where the one-thread reader ends",
          "[sensor][threads][capture]") {
  std::string data = slurp(merged_corpus());
  REQUIRE(data.size() > 100000);
  std::string dir = tmp_dir();
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::string p = dir + "/" + name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  };
  walk_and_compare(write("walkers_cut.pcap", data.substr(0, data.size() / 2 + 7)), 3, 2048);
  walk_and_compare(write("walkers_header_only.pcap", data.substr(0, 24)), 2, 2048);
  std::mt19937 rng(11);
  for (int round = 0; round < 3; ++round) {
    std::string m = data;
    std::uniform_int_distribution<std::size_t> pos(24, m.size() - 1);
    for (int i = 0; i < 40; ++i) m[pos(rng)] ^= char(1 + rng() % 255);
    walk_and_compare(write("walkers_flip" + std::to_string(round) + ".pcap", m), 2, 4096);
  }
}

TEST_CASE("walkers: a stop ends every walker", "[sensor][threads][capture]") {
  auto m = MappedPcap::open(merged_corpus(), 262144);
  REQUIRE(m);
  MappedWalkers walkers(*m, 2, 2048);
  std::atomic<bool> stop{false};
  std::atomic<int> seen{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      walkers.walk(
          i, stop, [](const MappedPcap::Record& r) { return shard_of(r, 2); },
          [&](const MappedPcap::Record&, std::uint64_t, std::uint32_t) {
            if (++seen == 100) stop.store(true);
          });
    });
  }
  for (auto& t : threads) t.join();  // would hang if a walker waited for a stopped one
  CHECK(seen >= 100);
  CHECK(seen < 4000);
}

TEST_CASE("walkers: --threads 2 and 3 on a cut file and with BPF equal one thread",
          "[sensor][threads]") {
  std::string data = slurp(merged_corpus());
  std::string cut = tmp_dir() + "/walkers_run_cut.pcap";
  std::ofstream(cut, std::ios::binary) << data.substr(0, data.size() * 2 / 3 + 5);
  Run one = run_file(cut, 1);
  REQUIRE(one.ok);
  CHECK(one.stats.counters.get(Counter::file_truncated) == 1);
  REQUIRE(one.events.size() > 500);
  for (int n : {2, 3}) {
    INFO(n << " threads, cut file");
    Run many = run_file(cut, n);
    REQUIRE(many.ok);
    CHECK(many.stats.counters.get(Counter::file_truncated) == 1);
    CHECK(many.stats.first_ts_us == one.stats.first_ts_us);
    CHECK(many.stats.last_ts_us == one.stats.last_ts_us);
    CHECK(canon(many) == canon(one));
  }
  auto filtered = [&](int n) {
    MemorySink sink;
    RunOptions opt;
    opt.read_file = corpus("dns_mix.pcap");
    opt.threads = n;
    opt.bpf = "tcp";
    SensorConfig cfg;
    cfg.identity.sensor_name = "test";
    auto r = run_sensor(opt, cfg, sink);
    REQUIRE(r.ok());
    Run out;
    out.stats = r.value();
    out.events = std::move(sink.events);
    return out;
  };
  // pcapng stays on libpcap: one reading thread hands copied frames to the workers.
  std::string ng = tmp_dir() + "/walkers_merged.pcapng";
  REQUIRE(std::system(("editcap -F pcapng '" + merged_corpus() + "' '" + ng + "'").c_str()) == 0);
  Run ng2 = run_file(ng, 2);
  REQUIRE(ng2.ok);
  CHECK(canon(ng2) == canon(run_file(merged_corpus(), 1)));
  Run f1 = filtered(1), f2 = filtered(2);
  CHECK(f1.stats.counters.get(Counter::packets) > 0);
  CHECK(f2.stats.counters.get(Counter::packets) == f1.stats.counters.get(Counter::packets));
  CHECK(f2.stats.counters.get(Counter::packets) <
        run_file(corpus("dns_mix.pcap"), 2).stats.counters.get(Counter::packets));
  CHECK(canon(f2) == canon(f1));
}

// Hostile traffic with every detection on: 1,000,000 SYNs from random sources
// and ports, and one flow of endless overlapping, out-of-order segments. The
// sensor must finish, its peak RSS (wait4 of the child) stay under the caps we
// configure, and the stats show the evictions that kept it there.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <random>

#include "tests/sensor/detect_test_util.h"
#include "tests/sensor/frame_builder.h"

using namespace vigil::sensor::test;
using nlohmann::json;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif

// Runs vigil with `args`; returns exit code and the child's peak RSS in KiB.
std::pair<int, long> run_measured(std::vector<std::string> args) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ru.ru_maxrss};
}

const std::int64_t kT0 = 1'790'000'000'000'000;  // 2026-09-22

std::string config(const std::string& dir) {
  std::string path = dir + "/hostile.json";
  std::ofstream(path) << R"({"sensor": {"max_flows": 20000, "stream_memcap": "8MiB"},
      "detect": {"scan": {"max_sources": 10000}, "yara": {"memcap": "4MiB"}, "max_assets": 5000}})";
  return path;
}

json run_hostile(const std::string& pcap, const std::string& tag, long rss_cap_kib) {
  std::string dir = detect_tmp();
  std::string stats = dir + "/" + tag + ".stats.json";
  auto [rc, rss] =
      run_measured({VIGIL_BIN, "--quiet", "sensor", "-r", pcap, "--config", config(dir),
                    "--findings", dir + "/" + tag + ".findings.jsonl", "--yara",
                    std::string(VIGIL_TEST_DATA) + "/yara", "--stats", stats});
  INFO(tag << ": peak RSS " << rss / 1024 << " MiB");
  REQUIRE(rc == 0);
  CHECK(rss < rss_cap_kib);
  return json::parse(slurp(stats));
}

}  // namespace

TEST_CASE("detect: 1,000,000 SYNs from random sources stay within the caps", "[detect][memory]") {
  const int n = kAsan ? 200'000 : 1'000'000;
  std::string pcap = detect_tmp() + "/syn-flood.pcap";
  {
    PcapWriter w(pcap);
    std::mt19937 rng(42);
    for (int i = 0; i < n; ++i) {
      Frame f = eth(0x0800);
      std::uint32_t src = 0x0a000000 | (rng() & 0x00ffffff);
      append(f, ipv4(6, src, 0xc0a80001, 20));
      append(f, tcp(std::uint16_t(1024 + rng() % 60000), std::uint16_t(1 + rng() % 1024), rng(), 0,
                    0x02));
      w.write(kT0 + std::int64_t(i) * 20, f);
    }
  }
  // Caps: 20k flows (x ~1 KiB), 10k scan sources, 8 MiB stream, 4 MiB YARA.
  json s = run_hostile(pcap, "syn-flood", kAsan ? 1'500'000 : 300'000);
  CHECK(s["packets"] == n);
  CHECK(s["counters"]["flow.evicted"].get<std::uint64_t>() > std::uint64_t(n) / 2);
  CHECK(s["detect"]["detectors"]["scan"]["sources_evicted"].get<std::uint64_t>() > 0);
  CHECK(s["detect"]["detectors"]["scan"]["probes"] == n);
}

TEST_CASE("detect: endless overlapping segments stay within the caps", "[detect][memory]") {
  const int n = kAsan ? 20'000 : 100'000;
  std::string pcap = detect_tmp() + "/overlap-flood.pcap";
  {
    PcapWriter w(pcap);
    std::mt19937 rng(7);
    const std::uint32_t isn = 1000, sisn = 5000;
    std::int64_t t = kT0;
    w.write(t++, tcp_packet(true, isn, 0, 0x02));
    w.write(t++, tcp_packet(false, sisn, isn + 1, 0x12));
    w.write(t++, tcp_packet(true, isn + 1, sisn + 1, 0x10));
    for (int i = 0; i < n; ++i) {
      // Random offsets inside the first 4 MiB: most overlap earlier segments
      // with different bytes, the rest are out of order ahead of the hole.
      std::uint32_t off = i % 16 == 0 ? std::uint32_t(i / 16) * 1000 : rng() % (4u << 20);
      std::string data(1000, char('a' + i % 26));
      w.write(t++, tcp_packet(true, isn + 1 + off, sisn + 1, 0x18, data));
    }
  }
  json s = run_hostile(pcap, "overlap-flood", kAsan ? 1'000'000 : 200'000);
  auto c = s["counters"];
  CHECK(c["stream.memcap_hit"].get<std::uint64_t>() +
            c["stream.overlap_different_data"].get<std::uint64_t>() >
        0);
  CHECK(c["stream.out_of_order"].get<std::uint64_t>() > 0);
}

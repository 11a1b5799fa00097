// Hostile and broken input: small snaplen copies, flipped bytes, cut files,
// empty and non-pcap files. The run must finish (under ASan/UBSan in CI) and
// count what it could not decode.
#include <catch2/catch.hpp>
#include <fstream>
#include <random>

#include "sensor_test_util.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void spit(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
}
std::uint64_t anomalies(const RunStats& s) {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < kCounterCount; ++i) {
    std::string_view name = kCounterNames[i];
    if (name.starts_with("decode.") && name != "decode.arp" && name != "decode.ethernet.other_type")
      n += s.counters.v[i];
    if (name.ends_with(".malformed") || name == "capture.file_truncated") n += s.counters.v[i];
  }
  return n;
}
}  // namespace

TEST_CASE("robustness: small snaplen copies of every capture", "[sensor][robust]") {
  for (const auto& name : corpus_files()) {
    for (int snap : {34, 60, 96}) {
      std::string out = tmp_dir() + "/snap" + std::to_string(snap) + "_" + name;
      REQUIRE(std::system(
                  ("editcap -s " + std::to_string(snap) + " '" + corpus(name) + "' '" + out + "'")
                      .c_str()) == 0);
      INFO(name << " snaplen " << snap);
      Run run = run_file(out);
      REQUIRE(run.ok);
      CHECK(run.stats.counters.get(Counter::packets) == std::stoull(manifest()[name]["packets"]));
      if (snap == 34 && name != "vlan_frag.pcap")
        CHECK(anomalies(run.stats) > 0);  // TCP/UDP headers cut
    }
  }
}

TEST_CASE("robustness: random byte flips", "[sensor][robust]") {
  std::mt19937 rng(20261126);
  int runs = 0;
  for (const auto& name : corpus_files()) {
    std::string data = slurp(corpus(name));
    REQUIRE(data.size() > 24);
    for (int round = 0; round < 6; ++round) {
      std::string mutated = data;
      std::uniform_int_distribution<std::size_t> pos(24,
                                                     mutated.size() - 1);  // keep the file header
      int flips = 1 + int(mutated.size() / 200);
      for (int i = 0; i < flips; ++i) mutated[pos(rng)] ^= char(1 + rng() % 255);
      std::string out = tmp_dir() + "/flip" + std::to_string(round) + "_" + name;
      spit(out, mutated);
      Run run = run_file(out);
      INFO(name << " round " << round);
      CHECK(run.ok);  // libpcap may stop early at a bogus record length; that is counted, not an
                      // error
      ++runs;
    }
  }
  CHECK(runs >= 72);
}

TEST_CASE("robustness: a file cut in the middle of a record", "[sensor][robust]") {
  std::string data = slurp(corpus("dns_mix.pcap"));
  std::string out = tmp_dir() + "/cut_dns_mix.pcap";
  spit(out, data.substr(0, data.size() / 2 + 7));
  Run run = run_file(out);
  REQUIRE(run.ok);
  CHECK(run.stats.counters.get(Counter::file_truncated) == 1);
  CHECK(run.stats.counters.get(Counter::packets) > 50);
  CHECK(!run.of_type("dns").empty());
}

TEST_CASE("robustness: non-pcap and missing files are errors", "[sensor][robust]") {
  std::string text = tmp_dir() + "/not_a_pcap.txt";
  spit(text, "hello, this is not a capture\n");
  Run a = run_file(text);
  CHECK_FALSE(a.ok);
  CHECK(a.error.starts_with(text + ": "));
  Run b = run_file(tmp_dir() + "/does-not-exist.pcap");
  CHECK_FALSE(b.ok);
  CHECK(b.error.find("No such file") != std::string::npos);
}

TEST_CASE("robustness: flow table cap evicts and counts", "[sensor][robust][flow]") {
  SensorConfig cfg;
  cfg.flow.max_flows = 100;
  Run run = run_file(corpus("portscan.pcap"), 1, cfg);
  REQUIRE(run.ok);
  CHECK(run.stats.counters.get(Counter::flows_evicted) > 1000);
  CHECK(run.stats.counters.get(Counter::flows_created) ==
        run.stats.counters.get(Counter::flows_ended));
}

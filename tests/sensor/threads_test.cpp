// --threads N shards flows by a symmetric hash; the events must be the same
// set as with one thread (order aside).
#include <algorithm>
#include <catch2/catch.hpp>

#include "sensor_test_util.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

TEST_CASE("threads: identical event set for 1, 2 and 3 workers on the corpus",
          "[sensor][threads]") {
  std::string merged = tmp_dir() + "/corpus_merged.pcap";
  std::string cmd = "mergecap -F pcap -w '" + merged + "'";
  for (const auto& f : corpus_files()) cmd += " '" + corpus(f) + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto canon = [](const Run& r) {
    std::vector<std::string> out;
    for (const auto& e : r.events) out.push_back(e.dump());
    std::sort(out.begin(), out.end());
    return out;
  };
  Run one = run_file(merged, 1);
  REQUIRE(one.ok);
  REQUIRE(one.events.size() > 2300);
  auto base = canon(one);
  for (int n : {2, 3}) {
    Run many = run_file(merged, n);
    REQUIRE(many.ok);
    INFO(n << " threads");
    CHECK(many.stats.threads == n);
    CHECK(many.stats.counters.get(Counter::packets) == one.stats.counters.get(Counter::packets));
    auto got = canon(many);
    CHECK(got.size() == base.size());
    CHECK(got == base);
  }
}

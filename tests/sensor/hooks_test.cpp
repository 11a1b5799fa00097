// The part-2 extension point: hooks see reassembled payload with stream
// offsets, every event, and every flow end — per worker, for any --threads.
#include <atomic>
#include <catch2/catch.hpp>

#include "sensor_test_util.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {
struct Seen {
  std::atomic<int> eicar{0}, events{0}, flows{0};
  std::atomic<std::uint64_t> payload{0};
};
class Probe : public Hooks {
 public:
  explicit Probe(Seen& s) : s_(s) {}
  void stream_data(const Flow& f, Dir dir, Bytes data, std::uint64_t offset,
                   std::int64_t) override {
    s_.payload += data.size();
    if (dir == kToClient &&
        as_sv(data).find("EICAR-STANDARD-ANTIVIRUS-TEST-FILE") != std::string_view::npos)
      ++s_.eicar;
  }
  void event(const Json&) override { ++s_.events; }
  void flow_end(const Flow&) override { ++s_.flows; }

 private:
  Seen& s_;
};
}  // namespace

TEST_CASE("hooks see stream payload, events and flow ends", "[sensor][hooks]") {
  for (int threads : {1, 2}) {
    Seen seen;
    SensorConfig cfg;
    cfg.hooks = [&] { return std::make_unique<Probe>(seen); };
    Run run = run_file(corpus("http_basic_auth.pcap"), threads, cfg);
    REQUIRE(run.ok);
    CHECK(seen.eicar == 1);
    CHECK(seen.events == int(run.events.size()));
    CHECK(seen.flows == 4);
    CHECK(seen.payload > 1000);
  }
}

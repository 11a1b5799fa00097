// TCP reassembly through a real worker: out-of-order delivery, retransmissions,
// overlaps with different data (anomaly event), gaps, depth and memcap.
#include <catch2/catch.hpp>

#include "frame_builder.h"
#include "sensor/engine/worker.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {
struct Session {
  SensorConfig cfg;
  MemorySink sink;
  std::unique_ptr<Worker> w;
  std::int64_t ts = 1'000'000;
  explicit Session(SensorConfig c = {}) : cfg(std::move(c)) {
    w = std::make_unique<Worker>(cfg, sink);
  }
  void send(const Frame& f) {
    ts += 1000;
    w->process(kDltEthernet, ts, Bytes(f), std::uint32_t(f.size()));
  }
  void handshake() {
    send(tcp_packet(true, 100, 0, kSyn));
    send(tcp_packet(false, 500, 101, kSyn | kAck));
    send(tcp_packet(true, 101, 501, kAck));
  }
  std::vector<Json> of(const std::string& type) {
    std::vector<Json> out;
    for (auto& e : sink.events)
      if (e["event_type"] == type) out.push_back(e);
    return out;
  }
};
const std::string kReq = "GET /a HTTP/1.1\r\nHost: x.test\r\n\r\n";
}  // namespace

TEST_CASE("stream: out-of-order segments are delivered in order", "[sensor][stream]") {
  Session s;
  s.handshake();
  std::string a = kReq.substr(0, 10), b = kReq.substr(10);
  s.send(tcp_packet(true, 101 + 10, 501, kAck | kPsh, b));  // second half first
  s.send(tcp_packet(true, 101, 501, kAck | kPsh, a));
  s.send(tcp_packet(false, 501, 101 + std::uint32_t(kReq.size()), kAck | kPsh,
                    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
  s.w->finish(s.ts);
  auto http = s.of("http");
  REQUIRE(http.size() == 1);
  CHECK(http[0]["http"]["url"] == "/a");
  CHECK(http[0]["http"]["hostname"] == "x.test");
  CHECK(s.w->counters().get(Counter::stream_out_of_order) == 1);
}

TEST_CASE("stream: retransmission is fine, overlap with different data is an anomaly",
          "[sensor][stream]") {
  Session s;
  s.handshake();
  s.send(tcp_packet(true, 101, 501, kAck | kPsh, kReq));
  s.send(tcp_packet(true, 101, 501, kAck | kPsh, kReq));  // same bytes again
  CHECK(s.w->counters().get(Counter::stream_retransmissions) == 1);
  CHECK(s.of("anomaly").empty());
  std::string evil = kReq;
  evil[5] = 'X';
  s.send(tcp_packet(true, 101, 501, kAck | kPsh, evil));
  CHECK(s.w->counters().get(Counter::stream_overlap_diff) == 1);
  auto an = s.of("anomaly");
  REQUIRE(an.size() == 1);
  CHECK(an[0]["anomaly"]["event"] == "overlap_different_data");
  CHECK(an[0]["anomaly"]["stream_offset"] == 0);
}

TEST_CASE("stream: data the peer ACKed but we never saw is a gap", "[sensor][stream]") {
  Session s;
  s.handshake();
  s.send(tcp_packet(true, 101, 501, kAck | kPsh, kReq));
  // Server sends 100 bytes we missed, then 'HTTP' data at +100; client ACKs all.
  s.send(tcp_packet(false, 601, 101 + std::uint32_t(kReq.size()), kAck, "tail"));
  s.send(tcp_packet(true, 101 + std::uint32_t(kReq.size()), 605, kAck));
  CHECK(s.w->counters().get(Counter::stream_gaps) == 1);
  CHECK(s.w->counters().get(Counter::stream_gap_bytes) == 100);
}

TEST_CASE("stream: depth stops reassembly, memcap bounds queued data", "[sensor][stream]") {
  SensorConfig cfg;
  cfg.stream.depth = 16;
  cfg.stream.memcap = 500;  // less than the 1000 queued bytes below
  Session s(cfg);
  s.handshake();
  s.send(tcp_packet(true, 101, 501, kAck | kPsh, std::string(40, 'a')));
  CHECK(s.w->counters().get(Counter::stream_depth_reached) == 1);
  for (int i = 0; i < 20; ++i)  // out of order, nothing fills the hole
    s.send(tcp_packet(false, 501 + 1000 + std::uint32_t(i) * 50, 141, kAck, std::string(50, 'b')));
  CHECK(s.w->counters().get(Counter::stream_memcap) > 0);
  s.w->finish(s.ts);
  CHECK(s.of("flow").size() == 1);
}

// HTTP bodies handed to Hooks::http_body: de-chunked, gzip/deflate inflated
// (checked byte for byte against the original), bounded against a 100 MB gzip
// bomb, and the parser resynchronising after a reassembly gap. Conversations
// are built segment by segment and run through a real worker; the same checks
// on real nginx traffic are in http_nginx_test.cpp.
#include <catch2/catch.hpp>
#include <fstream>
#include <mutex>

#include "frame_builder.h"
#include "http_body_util.h"
#include "sensor/engine/worker.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {

std::string chunked(const std::string& body, std::size_t piece) {
  std::string out;
  char hex[32];
  for (std::size_t i = 0; i < body.size(); i += piece) {
    std::string part = body.substr(i, piece);
    std::snprintf(hex, sizeof hex, "%zx;ext=1\r\n", part.size());
    out += hex + part + "\r\n";
  }
  return out + "0\r\nX-Trailer: t\r\n\r\n";
}

// One TCP connection fed to a worker: each side's bytes are cut into
// 1400-byte segments; `skip` drops a range of server bytes (a capture loss).
struct Conn {
  SensorConfig cfg;
  MemorySink sink;
  std::shared_ptr<Bodies> bodies = std::make_shared<Bodies>();
  std::unique_ptr<Worker> w;
  std::int64_t ts = 1'000'000;
  std::uint32_t cseq = 101, sseq = 501;
  explicit Conn(SensorConfig c = {}) : cfg(std::move(c)) {
    cfg.hooks = bodies->factory();
    w = std::make_unique<Worker>(cfg, sink);
    send(tcp_packet(true, 100, 0, kSyn));
    send(tcp_packet(false, 500, 101, kSyn | kAck));
    send(tcp_packet(true, 101, 501, kAck));
  }
  void send(const Frame& f) {
    ts += 100;
    w->process(kDltEthernet, ts, Bytes(f), std::uint32_t(f.size()));
  }
  void client(const std::string& data) {
    for (std::size_t i = 0; i < data.size(); i += 1400) {
      std::string seg = data.substr(i, 1400);
      send(tcp_packet(true, cseq, sseq, kAck | kPsh, seg));
      cseq += std::uint32_t(seg.size());
    }
  }
  void server(const std::string& data, std::size_t skip_from = 0, std::size_t skip_len = 0) {
    for (std::size_t i = 0; i < data.size(); i += 1400) {
      std::string seg = data.substr(i, 1400);
      bool lost = skip_len && i + seg.size() > skip_from && i < skip_from + skip_len;
      if (!lost) send(tcp_packet(false, sseq, cseq, kAck | kPsh, seg));
      sseq += std::uint32_t(seg.size());
    }
    send(tcp_packet(true, cseq, sseq, kAck));  // the client ACKs all: missing bytes are a gap
  }
  void end() {
    send(tcp_packet(true, cseq, sseq, kFin | kAck));
    send(tcp_packet(false, sseq, cseq + 1, kFin | kAck));
    send(tcp_packet(true, cseq + 1, sseq + 1, kAck));
    w->finish(ts);
  }
  std::vector<Json> http() {
    std::vector<Json> out;
    for (auto& e : sink.events)
      if (e["event_type"] == "http") out.push_back(e["http"]);
    return out;
  }
  std::uint64_t counter(Counter c) { return w->counters().get(c); }
};

std::string response(const std::string& headers, const std::string& body) {
  return "HTTP/1.1 200 OK\r\nServer: t\r\n" + headers + "\r\n" + body;
}
std::string get(const std::string& uri) {
  return "GET " + uri + " HTTP/1.1\r\nHost: t.test\r\nAccept-Encoding: gzip, deflate\r\n\r\n";
}

}  // namespace

TEST_CASE("http bodies: chunked gzip, deflate (zlib and raw) and plain, keep-alive",
          "[sensor][http][body]") {
  std::string text = sample_text(60000, 1);
  std::string gz = compress(text, 16 + 15);
  std::string post = "name=value&x=" + std::string(3000, 'p');
  Conn c;
  c.client(get("/gzip"));
  c.server(
      response("Content-Type: text/html\r\nContent-Encoding: gzip\r\n"
               "Transfer-Encoding: chunked\r\n",
               chunked(gz, 777)));
  c.client(get("/zlib"));
  std::string zl = compress(text, 15);
  c.server(response(
      "Content-Encoding: deflate\r\nContent-Length: " + std::to_string(zl.size()) + "\r\n", zl));
  c.client(get("/raw"));
  std::string raw = compress(text, -15);
  c.server(response(
      "Content-Encoding: Deflate\r\nContent-Length: " + std::to_string(raw.size()) + "\r\n", raw));
  c.client("POST /form HTTP/1.1\r\nHost: t.test\r\nContent-Length: " + std::to_string(post.size()) +
           "\r\n\r\n" + post);
  c.server(response("Transfer-Encoding: chunked\r\n", chunked("ok", 1)));
  c.end();

  auto http = c.http();
  REQUIRE(http.size() == 4);
  CHECK(http[0]["length"] == gz.size());  // wire bytes, de-chunked
  auto b = c.bodies->take();
  REQUIRE(b.size() == 5);
  CHECK(b[0].dir == kToClient);
  CHECK(b[0].body.size() == text.size());
  CHECK(b[0].body == text);
  CHECK(b[1].body == text);
  CHECK(b[2].body == text);
  CHECK(b[3].dir == kToServer);
  CHECK(b[3].body == post);
  CHECK(b[4].body == "ok");
  for (const auto& x : b) CHECK_FALSE(x.truncated);
  CHECK(c.counter(Counter::http_decompress_error) == 0);
}

TEST_CASE("http bodies: a 100 MB gzip bomb is cut by the ratio cap without big RSS",
          "[sensor][http][body]") {
  std::string bomb = gzip_zeros(100u << 20);
  INFO("compressed bomb " << bomb.size() << " bytes");
  CHECK(bomb.size() < 200000);
  PeakRss peak;
  Conn c;
  c.client(get("/bomb"));
  c.server(response(
      "Content-Encoding: gzip\r\nContent-Length: " + std::to_string(bomb.size()) + "\r\n", bomb));
  c.client(get("/after"));
  c.server(response("Content-Length: 5\r\n", "after"));
  c.end();
  auto b = c.bodies->take();
  REQUIRE(b.size() == 2);
  CHECK(b[0].truncated);
  CHECK(b[0].body.size() <= HttpBodyConfig{}.body_cap);
  CHECK(b[0].body.find_first_not_of('\0') == std::string::npos);
  CHECK(c.counter(Counter::http_decompress_bomb) == 1);
  CHECK(b[1].body == "after");  // the connection goes on being parsed
  CHECK(c.http().size() == 2);
  if (auto grew = peak.growth_mib()) CHECK(*grew < 48);
}

TEST_CASE("http bodies: the size cap is configurable and counted", "[sensor][http][body]") {
  SensorConfig cfg;
  cfg.http_body.body_cap = 4096;
  std::string text = sample_text(20000, 2);
  Conn c(cfg);
  c.client(get("/big"));
  c.server(response("Content-Length: " + std::to_string(text.size()) + "\r\n", text));
  c.client(get("/gz"));
  std::string gz = compress(text, 16 + 15);
  c.server(response("Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", chunked(gz, 500)));
  c.end();
  auto b = c.bodies->take();
  REQUIRE(b.size() == 2);
  for (const auto& x : b) {
    CHECK(x.truncated);
    CHECK(x.body == text.substr(0, 4096));
  }
  CHECK(c.counter(Counter::http_body_capped) == 2);
  CHECK(c.http().size() == 2);
}

TEST_CASE("http bodies: decoded only as far as the hooks use them, length still whole",
          "[sensor][http][body]") {
  std::string text = sample_text(20000, 3);
  Conn c;
  c.bodies->depth = 1000;  // as YARA's --yara-depth 1000 would say
  c.client(get("/plain"));
  c.server(response("Content-Length: " + std::to_string(text.size()) + "\r\n", text));
  c.client(get("/gz"));
  std::string gz = compress(text, 16 + 15);
  c.server(response("Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", chunked(gz, 500)));
  c.client(get("/small"));
  c.server(response("Content-Length: 5\r\n", "small"));
  c.end();
  auto b = c.bodies->take();
  REQUIRE(b.size() == 3);
  CHECK(b[0].body == text.substr(0, 1000));
  CHECK(b[0].truncated);
  CHECK(b[0].length == text.size());  // the whole body's bytes in the stream
  CHECK(b[1].body == text.substr(0, 1000));
  CHECK(b[1].length == gz.size());  // de-chunked, still compressed
  CHECK(b[2].body == "small");
  CHECK_FALSE(b[2].truncated);
  // Nobody asked for more: not what the configured cap counts.
  CHECK(c.counter(Counter::http_body_capped) == 0);
  CHECK(c.http().size() == 3);
}

TEST_CASE("http: after a gap the parser resynchronises at the next message",
          "[sensor][http][gap]") {
  Conn c;
  c.client(get("/one") + get("/two") + get("/three"));  // pipelined
  std::string r1 = response("Content-Length: 3000\r\n", std::string(3000, 'a'));
  // Response 2's body is sized so that response 3 begins a segment.
  std::string r2;
  for (std::size_t n = 2000; (r1.size() + r2.size()) % 1400 != 0 || r2.empty(); ++n)
    r2 = response("Content-Length: " + std::to_string(n) + "\r\n", std::string(n, 'b'));
  std::string r3 = "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope";
  // Lose bytes 1400..4199: the end of body 1 and the start of response 2, so
  // the parser finds its footing again only at response 3's status line.
  c.server(r1 + r2 + r3, 1400, 2800);
  c.end();
  CHECK(c.counter(Counter::stream_gaps) == 1);
  CHECK(c.counter(Counter::http_resync) == 1);
  auto http = c.http();
  REQUIRE(http.size() == 3);
  int not_found = 0;
  for (const auto& h : http) {
    CHECK(h["gap"] == true);
    if (h.contains("status") && h["status"] == 404) ++not_found;
  }
  CHECK(not_found == 1);
  auto b = c.bodies->take();
  REQUIRE(!b.empty());
  CHECK(b.front().truncated);  // body 1 lost its end
  CHECK(b.back().body == "nope");
  CHECK_FALSE(b.back().truncated);
}

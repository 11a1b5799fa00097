// --config FILE changes what the engine does (flow cap, inspection depth, body
// cap), unknown keys are refused; --rotate's size and time limits on a real
// events file (the live run with --rotate is in live_test.cpp).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "sensor/engine/config_file.h"
#include "sensor_test_util.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {
Json stats_with_config(const std::string& pcap, const std::string& config_json,
                       std::string* events = nullptr) {
  std::string dir = tmp_dir(), cfg = dir + "/cfg.json", st = dir + "/cfg_stats.json",
              ev = dir + "/cfg_events.jsonl";
  std::ofstream(cfg) << config_json;
  std::string cmd = std::string(VIGIL_BIN) + " -q sensor -r " + pcap + " --events " + ev +
                    " --stats " + st + (config_json.empty() ? "" : " --config " + cfg);
  REQUIRE(std::system(cmd.c_str()) == 0);
  if (events) {
    std::ifstream in(ev);
    events->assign((std::istreambuf_iterator<char>(in)), {});
  }
  std::ifstream in(st);
  return Json::parse(in)["counters"];
}
std::vector<std::string> lines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}
}  // namespace

TEST_CASE("config: --config changes the flow cap and the inspection depth",
          "[sensor][config][cli]") {
  Json base = stats_with_config(corpus("portscan.pcap"), "");
  Json capped = stats_with_config(corpus("portscan.pcap"), R"({"sensor": {"max_flows": 100}})");
  CHECK(base["flow.evicted"] == 0);
  CHECK(capped["flow.evicted"].get<std::uint64_t>() > 1000);

  std::string full, shallow;
  Json b = stats_with_config(corpus("http_basic_auth.pcap"), "", &full);
  Json d =
      stats_with_config(corpus("http_basic_auth.pcap"),
                        R"({"sensor": {"stream_depth": "16", "emit_flows": false}})", &shallow);
  CHECK(b["stream.depth_reached"] == 0);
  CHECK(d["stream.depth_reached"].get<std::uint64_t>() > 0);
  CHECK(full.find("\"event_type\":\"http\"") != std::string::npos);
  CHECK(shallow.find("\"event_type\":\"http\"") == std::string::npos);  // 16 bytes: no headers
  CHECK(shallow.find("\"event_type\":\"flow\"") == std::string::npos);
}

TEST_CASE("config: keys are checked and http_body_cap is read", "[sensor][config]") {
  std::string p = tmp_dir() + "/cfg_unit.json";
  std::ofstream(p) << R"({"sensor": {"http_body_cap": "64KiB", "timeouts": {"udp": 5}}})";
  SensorConfig cfg;
  REQUIRE(load_config_file(p, cfg).ok());
  CHECK(cfg.http_body.body_cap == 64 * 1024);
  CHECK(cfg.flow.udp_timeout_us == 5'000'000);
  std::ofstream(p) << R"({"sensor": {"max_flow": 5}})";
  auto bad = load_config_file(p, cfg);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().what.find("unknown key 'max_flow'") != std::string::npos);
  std::string cmd = std::string(VIGIL_BIN) + " sensor -r " + corpus("dns_mix.pcap") + " --config " +
                    p + " >/dev/null 2>&1";
  CHECK(WEXITSTATUS(std::system(cmd.c_str())) == 1);
}

TEST_CASE("rotate: by size, every event kept in order across the files", "[sensor][rotate]") {
  std::string p = tmp_dir() + "/rot_size.jsonl";
  for (int i = 0; i < 20; ++i) std::filesystem::remove(p + (i ? "." + std::to_string(i) : ""));
  {
    auto sink = JsonlSink::open(p);
    REQUIRE(sink.ok());
    sink.value()->set_rotation(1000, 0);
    for (int i = 0; i < 50; ++i) sink.value()->write(Json{{"n", i}, {"pad", std::string(80, 'x')}});
  }
  std::vector<std::string> all;
  int files = 0;
  for (int i = 1; std::filesystem::exists(p + "." + std::to_string(i)); ++i, ++files) {
    std::string f = p + "." + std::to_string(i);
    auto l = lines(f);
    REQUIRE(!l.empty());
    // Closed by the write that reached 1000 bytes: at least 1000, and less without its last line.
    auto size = std::filesystem::file_size(f);
    CHECK(size >= 1000);
    CHECK(size - (l.back().size() + 1) < 1000);
    all.insert(all.end(), l.begin(), l.end());
  }
  auto cur = lines(p);
  all.insert(all.end(), cur.begin(), cur.end());
  CHECK(files == 4);  // 98-byte lines: 11 per file, 6 left in the current one
  REQUIRE(all.size() == 50);
  for (int i = 0; i < 50; ++i) CHECK(Json::parse(all[i])["n"] == i);
  CHECK_FALSE(std::filesystem::exists(p + ".5"));
}

TEST_CASE("rotate: by age, and the CLI accepts 100MB / 1h only live", "[sensor][rotate][cli]") {
  std::string p = tmp_dir() + "/rot_time.jsonl";
  std::filesystem::remove(p + ".1");
  {
    auto sink = JsonlSink::open(p);
    REQUIRE(sink.ok());
    sink.value()->set_rotation(0, 1);
    sink.value()->write(Json{{"n", 0}});
    CHECK_FALSE(std::filesystem::exists(p + ".1"));
    sleep(2);  // the file is now older than 1 s: the next write closes it
    sink.value()->write(Json{{"n", 1}});
    sink.value()->write(Json{{"n", 2}});
  }
  CHECK(lines(p + ".1").size() == 2);
  CHECK(lines(p).size() == 1);
  CHECK(parse_size("100MB").value() == 100u << 20);
  CHECK(parse_duration("1h").value() == 3600);
  CHECK_FALSE(parse_duration("100MB").ok());
  std::string cmd = std::string(VIGIL_BIN) + " sensor -r " + corpus("dns_mix.pcap") +
                    " --rotate 100MB --events " + tmp_dir() + "/rot_cli.jsonl >/dev/null 2>&1";
  CHECK(WEXITSTATUS(std::system(cmd.c_str())) == 64);  // rotation is for live capture
}

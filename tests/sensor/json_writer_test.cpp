// The event writer against nlohmann's own serializer: byte-identical output on
// random (mostly invalid UTF-8) strings and on real events, and every line the
// CLI writes for the corpus parses back.
#include <catch2/catch.hpp>
#include <fstream>
#include <random>

#include "sensor/output/emitter.h"
#include "sensor/output/json_writer.h"
#include "sensor_test_util.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {
std::string reference(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
std::string ours(const Json& j) {
  std::string out;
  append_json(out, j);
  return out;
}
}  // namespace

TEST_CASE("json writer: same bytes as nlohmann on random strings", "[sensor][json]") {
  std::mt19937 rng(7);
  // Bytes drawn mostly from the interesting places: controls, quotes, UTF-8
  // lead and continuation bytes, the overlong and surrogate boundaries.
  const std::uint8_t pool[] = {0x00, 0x01, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1f, 0x20,
                               '"',  '\\', 'a',  '/',  0x7f, 0x80, 0x8f, 0x90, 0x9f,
                               0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec,
                               0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff};
  std::size_t mismatches = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string s(rng() % 12, '\0');
    for (char& c : s) c = char(rng() % 4 ? pool[rng() % sizeof pool] : std::uint8_t(rng()));
    Json j = {{"k" + s, s}, {"n", Json::array({s, -5, 18446744073709551615ULL, true, nullptr})}};
    if (ours(j) != reference(j)) {
      ++mismatches;
      UNSCOPED_INFO("input bytes: " << Json(std::vector<std::uint8_t>(s.begin(), s.end())).dump());
    }
  }
  CHECK(mismatches == 0);
  CHECK(ours(Json::object()) == "{}");
  CHECK(ours(Json::array()) == "[]");
  CHECK(ours(Json(1.5)) == reference(Json(1.5)));
  CHECK(ours(Json("caf\xc3\xa9 \xf0\x9f\x98\x80")) == "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
}

TEST_CASE("json writer: corpus events are written as nlohmann would, and parse", "[sensor][json]") {
  std::size_t events = 0;
  for (const auto& name : corpus_files()) {
    Run run = run_file(corpus(name));
    REQUIRE(run.ok);
    for (const Json& e : run.events) {
      std::string line = ours(e);
      CHECK(line == reference(e));
      CHECK(Json::accept(line));
      ++events;
    }
  }
  CHECK(events > 50);
  // Through the CLI and the file sink, every line of every capture.
  std::size_t lines = 0;
  for (const auto& name : corpus_files()) {
    std::string ev = tmp_dir() + "/jw_" + name + ".jsonl";
    REQUIRE(std::system((std::string(VIGIL_BIN) + " -q sensor -r '" + corpus(name) +
                         "' --events '" + ev + "'")
                            .c_str()) == 0);
    std::ifstream in(ev);
    for (std::string l; std::getline(in, l); ++lines) {
      INFO(name << ": " << l);
      CHECK(Json::accept(l));
    }
  }
  CHECK(lines == events);
}

TEST_CASE("event timestamps", "[sensor][json]") {
  CHECK(format_ts(0) == "1970-01-01T00:00:00.000000Z");
  CHECK(format_ts(-1) == "1969-12-31T23:59:59.999999Z");
  CHECK(format_ts(1795000000123456) == "2026-11-18T11:06:40.123456Z");
  CHECK(format_ts(951782400000001) == "2000-02-29T00:00:00.000001Z");
  CHECK(format_ts(253402300799999999) == "9999-12-31T23:59:59.999999Z");
  CHECK(format_ts(253402300800000000) == "10000-01-01T00:00:00.000000Z");
}

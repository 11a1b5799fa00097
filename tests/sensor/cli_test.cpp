// The `vigil sensor` command as users run it: outputs, exit codes, one-line errors.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "sensor_test_util.h"

using namespace vigil::sensor::test;

namespace {
struct Cmd {
  int code;
  std::vector<std::string> out;
};
Cmd run_vigil(const std::string& args) {
  std::string err = tmp_dir() + "/cli_stderr.txt";
  std::vector<std::string> lines =
      lines_of(std::string(VIGIL_BIN) + " " + args + " 2>'" + err + "'; echo \"rc=$?\"");
  Cmd c{-1, {}};
  if (!lines.empty() && lines.back().starts_with("rc=")) {
    c.code = std::stoi(lines.back().substr(3));
    lines.pop_back();
  }
  std::ifstream in(err);
  for (std::string l; std::getline(in, l);) c.out.push_back(l);
  return c;
}
}  // namespace

TEST_CASE("cli: sensor writes events and stats", "[sensor][cli]") {
  std::string ev = tmp_dir() + "/cli_events.jsonl", st = tmp_dir() + "/cli_stats.json";
  Cmd c = run_vigil("sensor -r " + corpus("https_tls12_weak.pcap") +
                    " --tenant acme --sensor-name s1 --events " + ev + " --stats " + st);
  CHECK(c.code == 0);
  std::ifstream in(ev);
  int n = 0;
  for (std::string l; std::getline(in, l); ++n) {
    auto j = vigil::sensor::Json::parse(l);
    CHECK(j["tenant"] == "acme");
    CHECK(j["sensor_name"] == "s1");
  }
  CHECK(n == 2);  // flow + tls
  std::ifstream s(st);
  auto stats = vigil::sensor::Json::parse(s);
  CHECK(stats["packets"] == 17);
  CHECK(stats["counters"]["flow.created"] == 1);
}

TEST_CASE("cli: bpf filter applies", "[sensor][cli]") {
  std::string ev = tmp_dir() + "/cli_bpf.jsonl";
  Cmd c = run_vigil("sensor -r " + corpus("dns_mix.pcap") + " --bpf 'tcp' --events " + ev);
  CHECK(c.code == 0);
  std::ifstream in(ev);
  for (std::string l; std::getline(in, l);) CHECK(vigil::sensor::Json::parse(l)["proto"] == "TCP");
  Cmd bad = run_vigil("sensor -r " + corpus("dns_mix.pcap") + " --bpf 'nonsense ((('");
  CHECK(bad.code == 1);
}

TEST_CASE("cli: unreadable, non-pcap and empty files", "[sensor][cli]") {
  std::string text = tmp_dir() + "/cli_not_pcap.txt";
  std::ofstream(text) << "not a pcap\n";
  Cmd c = run_vigil("sensor -r " + text);
  CHECK(c.code == 1);
  REQUIRE(c.out.size() == 1);
  CHECK(c.out[0].starts_with("vigil: " + text + ": "));
  Cmd missing = run_vigil("sensor -r " + tmp_dir() + "/nope.pcap");
  CHECK(missing.code == 1);
  CHECK(missing.out.size() == 1);
  std::string empty = tmp_dir() + "/cli_empty.pcap";
  std::ofstream(empty).flush();
  Cmd e = run_vigil("sensor -r " + empty + " --events " + tmp_dir() + "/cli_empty.jsonl");
  CHECK(e.code == 0);
  Cmd usage = run_vigil("sensor");
  CHECK(usage.code == 64);
}

// Live capture on a veth pair between two network namespaces made here (only
// addresses this test assigns): BPF applies, privileges are dropped, SIGTERM
// flushes the outputs and exits 0. Needs root and iproute2; skipped otherwise.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "sensor_test_util.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

TEST_CASE("live: veth capture with BPF and clean SIGTERM shutdown", "[sensor][live]") {
  if (geteuid() != 0 || std::system("command -v ip >/dev/null 2>&1") != 0) {
    WARN("live capture test skipped: needs root and iproute2");
    return;
  }
  std::string id = std::to_string(getpid() % 100000);
  std::string A = "vst-a" + id, B = "vst-b" + id, ia = "vsa" + id, ib = "vsb" + id;
  std::string dir = tmp_dir();
  std::string ev = dir + "/live_events.jsonl", err = dir + "/live_stderr.txt",
              pidf = dir + "/live.pid";
  std::string rcf = dir + "/live.rc";
  std::remove(rcf.c_str());
  std::string setup = "set -e; ip netns add " + A + "; ip netns add " + B + "; ip link add " + ia +
                      " type veth peer name " + ib + "; ip link set " + ia + " netns " + A +
                      "; ip link set " + ib + " netns " + B + "; ip -n " + A +
                      " addr add 10.231.77.1/24 dev " + ia + "; ip -n " + B +
                      " addr add 10.231.77.2/24 dev " + ib + "; ip -n " + A + " link set " + ia +
                      " up; ip -n " + B + " link set " + ib + " up";
  std::string teardown =
      "ip netns del " + A + " 2>/dev/null; ip netns del " + B + " 2>/dev/null; true";
  if (std::system(("(" + setup + ") >/dev/null 2>&1").c_str()) != 0) {
    std::system(teardown.c_str());
    WARN("live capture test skipped: cannot create network namespaces here");
    return;
  }
  // `ip netns exec` execs vigil, so $! is vigil's pid; the subshell records its exit code.
  std::string start = "(ip netns exec " + A + " " + VIGIL_BIN + " sensor -i " + ia +
                      " --bpf 'udp port 9999' --user nobody --tenant live --events " + ev + " 2>" +
                      err + " & echo $! > " + pidf + "; wait $!; echo $? > " + rcf + ") &";
  REQUIRE(std::system(start.c_str()) == 0);
  sleep(2);  // capture activated
  std::string send =
      "ip netns exec " + B +
      " bash -c 'for i in 1 2 3; do echo hello > /dev/udp/10.231.77.1/9999; "
      "echo x > /dev/udp/10.231.77.1/53; sleep 0.2; done' 2>/dev/null; ip netns exec " +
      B + " ping -c 2 -i 0.2 10.231.77.1 >/dev/null 2>&1";
  std::system(send.c_str());
  sleep(1);
  std::string pid;
  std::ifstream(pidf) >> pid;
  REQUIRE(!pid.empty());
  std::system(("kill -TERM " + pid).c_str());
  // `wait` is not available across system() calls: poll for the process to go.
  int waited = 0;
  while (waited < 50 && std::system(("kill -0 " + pid + " 2>/dev/null").c_str()) == 0) {
    usleep(100000);
    ++waited;
  }
  std::system(teardown.c_str());
  CHECK(waited < 50);
  usleep(200000);
  std::string rc;
  std::ifstream(rcf) >> rc;
  CHECK(rc == "0");
  std::ifstream in(ev);
  int udp9999 = 0, other = 0;
  for (std::string l; std::getline(in, l);) {
    auto j = Json::parse(l);
    CHECK(j["tenant"] == "live");
    if (j["event_type"] == "flow" && j["proto"] == "UDP" && j["dest_port"] == 9999)
      ++udp9999;
    else
      ++other;
  }
  CHECK(udp9999 ==
        3);  // three source ports (bash opens a new socket per echo); BPF dropped the rest
  CHECK(other == 0);
  std::ifstream e(err);
  std::string all((std::istreambuf_iterator<char>(e)), {});
  CHECK(all.find("vigil sensor:") != std::string::npos);  // stats summary printed on exit
}

// Live capture on a veth pair between two network namespaces made here (only
// addresses this test assigns): BPF applies, privileges are dropped, SIGTERM
// flushes the outputs and exits 0, --rotate splits the events file.
// Needs root and iproute2; skipped otherwise.
#include <unistd.h>

#include <pwd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "sensor_test_util.h"
#include "veth_pair.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {
// `vigil sensor -i` inside namespace `ns`, stopped with SIGTERM.
struct LiveSensor {
  std::string dir = tmp_dir(), pidf, rcf;
  LiveSensor(const std::string& ns, const std::string& name, const std::string& args) {
    pidf = dir + "/" + name + ".pid", rcf = dir + "/" + name + ".rc";
    std::remove(rcf.c_str());
    // `ip netns exec` execs vigil, so $! is vigil's pid; the subshell records its exit code.
    std::string start = "(ip netns exec " + ns + " " + VIGIL_BIN + " sensor " + args + " 2>" + dir +
                        "/" + name + "_stderr.txt & echo $! > " + pidf + "; wait $!; echo $? > " +
                        rcf + ") &";
    REQUIRE(std::system(start.c_str()) == 0);
    sleep(2);  // capture activated
  }
  // SIGTERM; true when the process went within 5 s. `rc` is its exit code.
  bool stop(std::string& rc) {
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
    usleep(200000);
    std::ifstream(rcf) >> rc;
    return waited < 50;
  }
};
}  // namespace

TEST_CASE("live: veth capture with BPF and clean SIGTERM shutdown", "[sensor][live]") {
  VethPair net("l", 77);
  if (!net.ok) {
    WARN("live capture test skipped: needs root, iproute2 and network namespaces");
    return;
  }
  std::string ev = tmp_dir() + "/live_events.jsonl";
  LiveSensor s(
      net.a, "live",
      "-i " + net.ia + " --bpf 'udp port 9999' --user nobody --tenant live --events " + ev);
  std::string send = "ip netns exec " + net.b +
                     " bash -c 'for i in 1 2 3; do echo hello > /dev/udp/" + net.net +
                     ".1/9999; echo x > /dev/udp/" + net.net +
                     ".1/53; sleep 0.2; done' 2>/dev/null; ip netns exec " + net.b +
                     " ping -c 2 -i 0.2 " + net.net + ".1 >/dev/null 2>&1";
  std::system(send.c_str());
  sleep(1);
  std::string rc;
  CHECK(s.stop(rc));
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
  // Three source ports (bash opens a new socket per echo); BPF dropped the rest.
  CHECK(udp9999 == 3);
  CHECK(other == 0);
  std::ifstream e(s.dir + "/live_stderr.txt");
  std::string all((std::istreambuf_iterator<char>(e)), {});
  CHECK(all.find("vigil sensor:") != std::string::npos);  // stats summary printed on exit
}

TEST_CASE("live: --rotate 1KB splits the events file, no event lost", "[sensor][live][rotate]") {
  VethPair net("r", 79);
  if (!net.ok) {
    WARN("live rotation test skipped: needs root, iproute2 and network namespaces");
    return;
  }
  // The sensor drops root to `nobody` once the capture is open; rotating means
  // renaming and creating files, so the directory must belong to that user.
  const std::string dir = tmp_dir() + "/live_rot";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const passwd* nobody = getpwnam("nobody");
  REQUIRE(nobody);
  REQUIRE(::chown(dir.c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
  std::string ev = dir + "/live_rot.jsonl";
  LiveSensor s(net.a, "live_rot", "-i " + net.ia + " --bpf udp --rotate 1KB --events " + ev);
  // 20 UDP flows (a new source port per echo): 20 flow events of ~600 bytes.
  std::system(("ip netns exec " + net.b + " bash -c 'for i in $(seq 20); do echo hi > /dev/udp/" +
               net.net + ".1/7000; done' 2>/dev/null")
                  .c_str());
  sleep(1);
  std::string rc;
  CHECK(s.stop(rc));
  CHECK(rc == "0");
  int files = 0, flows = 0;
  for (int i = 0; i < 50; ++i) {
    std::string p = ev + (i ? "." + std::to_string(i) : "");
    if (!std::filesystem::exists(p)) continue;
    ++files;
    std::uint64_t lines = 0, last = 0;
    std::ifstream in(p);
    for (std::string l; std::getline(in, l); ++lines) {
      last = l.size() + 1;
      if (Json::parse(l)["event_type"] == "flow") ++flows;
    }
    // A file is closed by the write that passes 1 KiB: at most 1 KiB + one line.
    CHECK(std::filesystem::file_size(p) < 1024 + last + 1);
  }
  CHECK(flows == 20);
  CHECK(files >= 5);
}

// Two network namespaces joined by a veth pair, made and removed by a test
// (only addresses the test assigns). Needs root and iproute2.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace vigil::sensor::test {

struct VethPair {
  std::string a, b, ia, ib;  // namespaces and their interfaces
  std::string net;           // "10.231.N": .1 in a, .2 in b
  bool ok = false;
  // `tag` keeps concurrent tests apart (namespace names and subnet).
  VethPair(const std::string& tag, int subnet) : net("10.231." + std::to_string(subnet)) {
    std::string id = tag + std::to_string(getpid() % 100000);
    a = "vn-a" + id, b = "vn-b" + id, ia = "va" + id, ib = "vb" + id;
    if (geteuid() != 0 || std::system("command -v ip >/dev/null 2>&1") != 0) return;
    std::string setup = "set -e; ip netns add " + a + "; ip netns add " + b + "; ip link add " +
                        ia + " type veth peer name " + ib + "; ip link set " + ia + " netns " + a +
                        "; ip link set " + ib + " netns " + b + "; ip -n " + a + " addr add " +
                        net + ".1/24 dev " + ia + "; ip -n " + b + " addr add " + net +
                        ".2/24 dev " + ib + "; ip -n " + a + " link set " + ia + " up; ip -n " + b +
                        " link set " + ib + " up";
    ok = std::system(("(" + setup + ") >/dev/null 2>&1").c_str()) == 0;
    if (!ok) teardown();
  }
  ~VethPair() { teardown(); }
  void teardown() {
    std::system(
        ("ip netns del " + a + " 2>/dev/null; ip netns del " + b + " 2>/dev/null; true").c_str());
  }
};

}  // namespace vigil::sensor::test

// Real HTTP traffic for the body decoder: nginx (gzip on, chunked) and curl in
// two network namespaces made here (only addresses this test assigns),
// captured with tcpdump. The decoded bodies must equal the files nginx served;
// a 100 MB gzip bomb served with gzip_static is cut by the caps.
// Needs root, iproute2, nginx, curl and tcpdump; skipped otherwise.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "http_body_util.h"
#include "sensor_test_util.h"
#include "veth_pair.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {
bool have(const char* tool) {
  return std::system(("command -v " + std::string(tool) + " >/dev/null 2>&1").c_str()) == 0;
}
void write_file(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
}
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}
}  // namespace

TEST_CASE("http bodies from real nginx traffic: gzip + chunked, and a gzip bomb",
          "[sensor][http][body][live]") {
  if (!have("nginx") || !have("curl") || !have("tcpdump")) {
    WARN("nginx capture test skipped: needs nginx, curl, tcpdump");
    return;
  }
  VethPair net("h", 78);
  if (!net.ok) {
    WARN("nginx capture test skipped: cannot create network namespaces");
    return;
  }
  const std::string S = net.a, C = net.b, is = net.ia;
  std::string dir = tmp_dir() + "/nginx";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/www");
  std::string page = sample_text(300000, 7);
  write_file(dir + "/www/page.txt", page);
  write_file(dir + "/www/bomb.txt.gz", gzip_zeros(100u << 20));
  write_file(dir + "/nginx.conf",
             "worker_processes 1; pid " + dir + "/nginx.pid; error_log " + dir +
                 "/error.log; daemon on;\nevents { worker_connections 64; }\n"
                 "http { access_log off; root " +
                 dir +
                 "/www; default_type text/plain;\n"
                 "  gzip on; gzip_types text/plain; gzip_min_length 0; gzip_static on;\n"
                 "  server { listen 10.231.78.1:80; } }\n");
  std::system(("chmod -R a+rX " + dir).c_str());
  std::string pcap = dir + "/nginx.pcap";
  std::string stop_nginx = "kill $(cat " + dir + "/nginx.pid 2>/dev/null) 2>/dev/null; true";
  if (std::system(
          ("ip netns exec " + S + " nginx -c " + dir + "/nginx.conf -p " + dir + " >/dev/null 2>&1")
              .c_str()) != 0) {
    WARN("nginx capture test skipped: nginx did not start");
    return;
  }
  // tcpdump writes the capture; SIGINT makes it flush and exit.
  std::string cap = "ip netns exec " + S + " tcpdump -i " + is + " -s 0 -U -w " + pcap +
                    " tcp port 80 >/dev/null 2>&1 & echo $! > " + dir + "/tcpdump.pid";
  REQUIRE(std::system(cap.c_str()) == 0);
  sleep(1);
  std::string cl = "ip netns exec " + C + " curl -s --max-time 20 ";
  std::system((cl + "--compressed -o " + dir + "/got.txt http://10.231.78.1/page.txt " +
               "http://10.231.78.1/page.txt -o " + dir + "/got2.txt")
                  .c_str());
  std::system((cl + "-H 'Accept-Encoding: gzip' -o /dev/null http://10.231.78.1/bomb.txt").c_str());
  sleep(1);
  std::system(("kill -INT $(cat " + dir + "/tcpdump.pid); sleep 1").c_str());
  std::system(stop_nginx.c_str());
  REQUIRE(read_file(dir + "/got.txt") == page);  // curl itself agrees with the file

  std::string wire = read_file(pcap);
  CHECK(wire.find("Content-Encoding: gzip") != std::string::npos);
  CHECK(wire.find("Transfer-Encoding: chunked") != std::string::npos);

  Bodies bodies;
  SensorConfig cfg;
  cfg.hooks = bodies.factory();
  Run run = run_file(pcap, 1, cfg);
  REQUIRE(run.ok);
  CHECK(run.of_type("http").size() == 3);
  int pages = 0, bombs = 0;
  for (const auto& b : bodies.take()) {
    if (b.dir != kToClient) continue;
    if (b.body == page && !b.truncated) ++pages;
    if (b.truncated && b.body.size() <= HttpBodyConfig{}.body_cap &&
        b.body.find_first_not_of('\0') == std::string::npos)
      ++bombs;
  }
  CHECK(pages == 2);  // keep-alive: both requests on one connection
  CHECK(bombs == 1);
  CHECK(run.stats.counters.get(Counter::http_decompress_bomb) == 1);
  CHECK(run.stats.counters.get(Counter::http_resync) == 0);
}

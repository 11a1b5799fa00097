// The mmap pcap reader against libpcap, record by record, on every corpus
// capture and on broken copies of them: both readers must deliver the same
// frames (time, bytes, wire length) and stop at the same place.
#include <pcap/pcap.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <random>

#include "sensor/capture/mapped_pcap.h"
#include "sensor/capture/source.h"
#include "sensor_test_util.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {

struct Rec {
  std::int64_t ts_us;
  std::string data;
  std::uint32_t wirelen;
  bool operator==(const Rec&) const = default;
};
struct Read {
  std::vector<Rec> recs;
  bool truncated = false;
};

Read with_libpcap(const std::string& path) {
  Read out;
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap_t* h =
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, err);
  REQUIRE(h);
  pcap_pkthdr* hdr;
  const u_char* d;
  int rc;
  while ((rc = pcap_next_ex(h, &hdr, &d)) == 1)
    out.recs.push_back({std::int64_t(hdr->ts.tv_sec) * 1'000'000 + hdr->ts.tv_usec,
                        std::string(reinterpret_cast<const char*>(d), hdr->caplen), hdr->len});
  out.truncated = rc != PCAP_ERROR_BREAK && rc != -2;  // -2: end of file
  pcap_close(h);
  return out;
}

// Through PcapSource, which maps classic pcap files.
Read with_source(const std::string& path, bool expect_mapped) {
  Read out;
  auto src = PcapSource::open_file(path);
  REQUIRE(src.ok());
  CHECK(src.value()->stable_frames() == expect_mapped);
  std::atomic<bool> stop{false};
  auto st = src.value()->run(
      [&](std::int64_t ts, Bytes f, std::uint32_t wirelen) {
        out.recs.push_back({ts, std::string(as_sv(f)), wirelen});
      },
      stop);
  CHECK(st.ok());
  out.truncated = src.value()->truncated();
  return out;
}

void same(const std::string& path, bool expect_mapped = true) {
  INFO(path);
  Read a = with_libpcap(path), b = with_source(path, expect_mapped);
  CHECK(a.recs.size() == b.recs.size());
  CHECK(a.truncated == b.truncated);
  std::size_t n = std::min(a.recs.size(), b.recs.size());
  std::size_t diff = 0;
  for (std::size_t i = 0; i < n; ++i) diff += a.recs[i] == b.recs[i] ? 0 : 1;
  CHECK(diff == 0);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void spit(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
}
void put32(std::string& s, std::size_t at, std::uint32_t v) {
  std::memcpy(s.data() + at, &v, 4);
}

}  // namespace

TEST_CASE("capture: mapped reader equals libpcap on every corpus capture", "[sensor][capture]") {
  for (const auto& name : corpus_files()) same(corpus(name));
}

TEST_CASE("capture: pcapng and nanosecond files", "[sensor][capture]") {
  std::string ng = tmp_dir() + "/cap_dns_mix.pcapng", ns = tmp_dir() + "/cap_dns_mix_ns.pcap";
  REQUIRE(std::system(("editcap -F pcapng '" + corpus("dns_mix.pcap") + "' " + ng).c_str()) == 0);
  REQUIRE(std::system(("editcap -F nsecpcap '" + corpus("dns_mix.pcap") + "' " + ns).c_str()) == 0);
  same(ng, false);  // pcapng stays on libpcap
  same(ns);
  CHECK(with_source(ns, true).recs == with_source(corpus("dns_mix.pcap"), true).recs);
}

TEST_CASE("capture: broken files stop where libpcap stops", "[sensor][capture]") {
  const std::string data = slurp(corpus("http_basic_auth.pcap"));
  REQUIRE(data.size() > 200);
  const std::uint32_t first_caplen = [&] {
    std::uint32_t v;
    std::memcpy(&v, data.data() + 24 + 8, 4);
    return v;
  }();
  std::string dir = tmp_dir();
  // Cut inside a record header and inside a record body.
  spit(dir + "/cap_cut_hdr.pcap", data.substr(0, 24 + 16 + first_caplen + 7));
  same(dir + "/cap_cut_hdr.pcap");
  spit(dir + "/cap_cut_body.pcap", data.substr(0, 24 + 16 + first_caplen / 2));
  same(dir + "/cap_cut_body.pcap");
  spit(dir + "/cap_header_only.pcap", data.substr(0, 24));
  same(dir + "/cap_header_only.pcap");
  // A caplen above the file's snaplen: the first `snaplen` bytes are delivered.
  std::string small = data;
  put32(small, 16, first_caplen / 2);
  spit(dir + "/cap_over_snaplen.pcap", small);
  same(dir + "/cap_over_snaplen.pcap");
  CHECK(with_source(dir + "/cap_over_snaplen.pcap", true).recs.at(0).data.size() ==
        first_caplen / 2);
  // A caplen above libpcap's maximum ends the read.
  std::string huge = data;
  put32(huge, 24 + 8, 300000);
  spit(dir + "/cap_huge_caplen.pcap", huge);
  same(dir + "/cap_huge_caplen.pcap");
  // Random flips, record headers included.
  std::mt19937 rng(3);
  for (const auto& name : corpus_files()) {
    std::string d = slurp(corpus(name));
    for (int round = 0; round < 3; ++round) {
      std::string m = d;
      std::uniform_int_distribution<std::size_t> pos(24, m.size() - 1);
      for (int i = 0; i < 1 + int(m.size() / 300); ++i) m[pos(rng)] ^= char(1 + rng() % 255);
      std::string out = dir + "/cap_flip" + std::to_string(round) + "_" + name;
      spit(out, m);
      same(out);
    }
  }
}

TEST_CASE("capture: BPF on a mapped file", "[sensor][capture]") {
  auto src = PcapSource::open_file(corpus("dns_mix.pcap"));
  REQUIRE(src.ok());
  REQUIRE(src.value()->set_filter("tcp").ok());
  std::atomic<bool> stop{false};
  std::size_t n = 0;
  REQUIRE(src.value()->run([&](std::int64_t, Bytes, std::uint32_t) { ++n; }, stop).ok());
  auto tshark = lines_of("tshark -n -r '" + corpus("dns_mix.pcap") +
                         "' -Y tcp -T fields -e frame.number 2>/dev/null");
  CHECK(n == tshark.size());
  CHECK(n > 0);
}

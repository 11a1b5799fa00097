// --threads N with TCP carried in IP fragments (fragroute-style evasion): a
// fragmented segment must reach the worker of its connection, not the worker
// of its address pair (decode/shard.h), so findings, events and stats equal
// one thread's in both multi-thread modes: a classic pcap (every worker walks
// the mapped file) and pcapng (one reading thread routes frames to lanes).
// The corpus's connections between its two hosts spread over the workers; in
// six of its captures every TCP segment with data is split into IPv4 or
// IPv6 fragments (credentials included), some sent last fragment first.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "sensor/capture/mapped_pcap.h"
#include "tests/sensor/detect_test_util.h"
#include "tests/sensor/frame_builder.h"
#include "tests/sensor/sensor_test_util.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;
using nlohmann::json;

namespace {

std::uint16_t be16(const Frame& f, std::size_t at) {
  return std::uint16_t(f[at] << 8 | f[at + 1]);
}

void set16(Frame& f, std::size_t at, std::uint16_t v) {
  f[at] = std::uint8_t(v >> 8);
  f[at + 1] = std::uint8_t(v);
}

void ipv4_checksum(Frame& f, std::size_t ip, std::size_t ihl) {
  set16(f, ip + 10, 0);
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < ihl; i += 2) sum += be16(f, ip + i);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  set16(f, ip + 10, std::uint16_t(~sum));
}

struct Fragmenter {
  std::uint32_t next_id = 0x5000;
  std::size_t datagrams = 0, fragments = 0;

  // The IP fragments of `f` (Ethernet, maybe one 802.1Q tag, IPv4 or IPv6
  // without extension headers) if it is a TCP segment with data, else `f`.
  std::vector<Frame> split(const Frame& f) {
    std::size_t ip = be16(f, 12) == 0x8100 ? 18 : 14;
    bool v6 = be16(f, ip - 2) == 0x86dd;
    if (!v6 && be16(f, ip - 2) != 0x0800) return {f};
    std::size_t hlen = v6 ? 40 : std::size_t(f[ip] & 15) * 4;
    std::size_t total = v6 ? 40 + be16(f, ip + 4) : be16(f, ip + 2);
    std::uint8_t proto = f[ip + (v6 ? 6 : 9)];
    if (proto != 6 || ip + total > f.size()) return {f};
    std::size_t tcp_hlen = std::size_t(f[ip + hlen + 12] >> 4) * 4;
    if (total <= hlen + tcp_hlen) return {f};
    Frame l4(f.begin() + std::ptrdiff_t(ip + hlen), f.begin() + std::ptrdiff_t(ip + total));
    std::uint32_t id = next_id++;
    // 16..72 bytes (ports alone in some), and at least two fragments.
    std::size_t chunk = std::min(8 * (2 + datagrams % 8), (l4.size() - 1) / 8 * 8);
    bool reverse = datagrams++ % 3 == 0;
    std::vector<Frame> out;
    for (std::size_t off = 0; off < l4.size(); off += chunk) {
      std::size_t len = std::min(chunk, l4.size() - off);
      bool more = off + len < l4.size();
      Frame g(f.begin(), f.begin() + std::ptrdiff_t(ip + hlen));
      if (v6) {
        g[ip + 6] = 44;
        set16(g, ip + 4, std::uint16_t(8 + len));
        Frame fh = {6, 0};
        put16(fh, std::uint16_t(off | (more ? 1 : 0)));
        put32(fh, id);
        append(g, fh);
      } else {
        set16(g, ip + 2, std::uint16_t(hlen + len));
        set16(g, ip + 4, std::uint16_t(id));
        set16(g, ip + 6, std::uint16_t(off / 8 | (more ? 0x2000 : 0)));
        ipv4_checksum(g, ip, hlen);
      }
      g.insert(g.end(), l4.begin() + std::ptrdiff_t(off), l4.begin() + std::ptrdiff_t(off + len));
      out.push_back(std::move(g));
    }
    fragments += out.size();
    if (reverse) std::reverse(out.begin(), out.end());
    return out;
  }
};

// Six corpus captures with their TCP data in fragments, merged in time order
// with the rest of the corpus; and a pcapng copy, which libpcap reads.
struct Captures {
  Fragmenter frag;
  std::string pcap, pcapng;
};

Captures fragmented_corpus() {
  const std::set<std::string> fragmented = {"ftp_login.pcap",       "telnet_login.pcap",
                                            "http_basic_auth.pcap", "smtp_plain.pcap",
                                            "ipv6_http.pcap",       "vlan_frag.pcap"};
  Captures c;
  std::string dir = tmp_dir();
  c.pcap = dir + "/frag_threads.pcap";
  c.pcapng = dir + "/frag_threads.pcapng";
  std::string cmd = "mergecap -F pcap -w '" + c.pcap + "'";
  for (const auto& name : corpus_files()) {
    std::string path = corpus(name);
    if (fragmented.contains(name)) {
      auto in = MappedPcap::open(path, 262144);
      REQUIRE(in);
      path = dir + "/frag_" + name;
      PcapWriter w(path);
      MappedPcap::Record r;
      while (in->next(r) == MappedPcap::Next::kRecord) {
        REQUIRE(r.wirelen == r.data.size());
        for (const Frame& g : c.frag.split(Frame(r.data.begin(), r.data.end())))
          w.write(r.ts_us, g);
      }
    }
    cmd += " '" + path + "'";
  }
  REQUIRE(run_cmd(cmd) == 0);
  REQUIRE(run_cmd("editcap -F pcapng '" + c.pcap + "' '" + c.pcapng + "'") == 0);
  REQUIRE(c.frag.datagrams > 60);
  return c;
}

const std::pair<const char*, int> kRuns[] = {{"mapped", 2}, {"mapped", 3}, {"mapped", 4},
                                             {"lanes", 2},  {"lanes", 3},  {"lanes", 4}};

std::vector<std::string> sorted_events(const Run& r) {  // workers interleave their events
  std::vector<std::string> out;
  for (const auto& e : r.events) out.push_back(e.dump());
  std::sort(out.begin(), out.end());
  return out;
}

std::string counter_diff(const Counters& a, const Counters& b) {
  std::string out;
  for (std::size_t i = 0; i < kCounterCount; ++i)
    if (a.v[i] != b.v[i])
      out += std::string(kCounterNames[i]) + " " + std::to_string(a.v[i]) +
             " != " + std::to_string(b.v[i]) + "\n";
  return out;
}

// `vigil sensor --findings` with YARA on: findings and stats as written.
struct Detected {
  std::string findings;
  json stats;
};

Detected detected(const std::string& pcap, const std::string& tag, int threads) {
  DetectRun d = detect(pcap, tag,
                       "--threads " + std::to_string(threads) + " --yara '" +
                           std::string(VIGIL_TEST_DATA) + "/yara'");
  REQUIRE(d.rc == 0);
  Detected o{slurp(d.out), json::parse(slurp(d.stats))};
  o.stats.erase("wall_seconds");
  o.stats.erase("threads");
  // Each worker caches its own YARA verdicts, so the scan work (not the
  // findings) depends on the number of workers, fragments or not.
  for (const char* k : {"bytes_scanned", "cache_hits", "scans", "string_hit_checks"})
    o.stats["detect"]["detectors"]["yara"].erase(k);
  return o;
}

}  // namespace

TEST_CASE("frag threads: TCP in IP fragments gives one thread's events and counters",
          "[sensor][threads]") {
  Captures cap = fragmented_corpus();
  Run one = run_file(cap.pcap, 1);
  REQUIRE(one.ok);
  // One thread reassembles every datagram, once, as tshark (the oracle) does.
  const Counters& c = one.stats.counters;
  CHECK(c.get(Counter::defrag_reassembled) == cap.frag.datagrams + 3);  // + vlan_frag's UDP
  CHECK(c.get(Counter::defrag_fragments) == cap.frag.fragments + 9);
  auto tshark = lines_of("tshark -n -r '" + cap.pcap +
                         "' -o ip.defragment:TRUE -o ipv6.defragment:TRUE"
                         " -Y 'ip.fragment.count or ipv6.fragment.count' 2>/dev/null");
  CHECK(c.get(Counter::defrag_reassembled) == tshark.size());
  auto base = sorted_events(one);
  for (const auto& [mode, n] : kRuns) {
    INFO(mode << " mode, " << n << " threads");
    Run many = run_file(mode == std::string("mapped") ? cap.pcap : cap.pcapng, n);
    REQUIRE(many.ok);
    CHECK(many.stats.threads == n);
    CHECK(counter_diff(many.stats.counters, c) == "");
    auto got = sorted_events(many);
    CHECK(got.size() == base.size());
    CHECK(got == base);
  }
}

TEST_CASE("frag threads: credentials in IP fragments give one thread's findings",
          "[sensor][threads][detect]") {
  Captures cap = fragmented_corpus();
  Detected one = detected(cap.pcap, "frag-1", 1);
  std::set<std::string> kinds;
  for (const json& f : read_jsonl(detect_tmp() + "/frag-1.findings.jsonl"))
    kinds.insert(f["type"].get<std::string>());
  for (const char* k : {"net.auth.cleartext.ftp", "net.auth.cleartext.telnet",
                        "net.auth.cleartext.http_basic", "net.auth.cleartext.smtp"})
    CHECK(kinds.contains(k));
  for (const auto& [mode, n] : kRuns) {
    INFO(mode << " mode, " << n << " threads");
    std::string tag = std::string("frag-") + mode + "-" + std::to_string(n);
    Detected many = detected(mode == std::string("mapped") ? cap.pcap : cap.pcapng, tag, n);
    CHECK(many.findings == one.findings);
    CHECK(many.stats.dump(2) == one.stats.dump(2));
  }
}

// Decoder layers on hand-built frames: every encapsulation the corpus lacks,
// plus the anomaly counters for broken headers.
#include <catch2/catch.hpp>
#include <set>

#include "frame_builder.h"
#include "sensor/decode/decoder.h"
#include "sensor/decode/shard.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {
struct Dec {
  Counters c;
  DefragConfig dc;
  Decoder d{c, dc};
  Packet p;
  bool run(const Frame& f, int dlt = kDltEthernet, std::int64_t ts = 1'000'000) {
    return d.decode(dlt, ts, Bytes(f), std::uint32_t(f.size()), p);
  }
};
Frame udp_ipv4(std::size_t n = 4) {
  Frame f = ipv4(17, 0x0a000001, 0x0a000002, 8 + n);
  append(f, udp(1234, 53, n));
  append(f, std::string(n, 'x'));
  return f;
}
}  // namespace

TEST_CASE("decode: QinQ VLAN ids and UDP ports", "[sensor][decode]") {
  Dec t;
  Frame f = eth(0x88a8);
  append(f, vlan(10, 0x8100));
  append(f, vlan(20, 0x0800));
  append(f, udp_ipv4());
  REQUIRE(t.run(f));
  CHECK(t.p.vlan_count == 2);
  CHECK(t.p.vlan[0] == 10);
  CHECK(t.p.vlan[1] == 20);
  CHECK(t.p.proto == kProtoUDP);
  CHECK(t.p.dport == 53);
  CHECK(t.p.payload.size() == 4);
}

TEST_CASE("decode: MPLS label stack then IPv4", "[sensor][decode]") {
  Dec t;
  Frame f = eth(0x8847);
  put32(f, 0x00010000);  // label 16, not bottom
  put32(f, 0x00011100);  // bottom of stack
  append(f, udp_ipv4());
  REQUIRE(t.run(f));
  CHECK(t.p.ip_version == 4);
  CHECK(t.p.sport == 1234);
}

TEST_CASE("decode: IPv6 extension headers and TCP", "[sensor][decode]") {
  Dec t;
  Frame body;
  body.insert(body.end(), {60, 0, 0, 0, 0, 0, 0, 0});  // hop-by-hop -> dest opts, 8 bytes
  body.insert(body.end(), {6, 0, 1, 4, 0, 0, 0, 0});   // dest opts -> TCP, PadN
  append(body, tcp(5555, 443, 1, 0, kSyn));
  Frame f = eth(0x86dd);
  append(f, ipv6(0, 2, 1, body.size()));
  append(f, body);
  REQUIRE(t.run(f));
  CHECK(t.p.ip_version == 6);
  CHECK(t.p.proto == kProtoTCP);
  CHECK(t.p.dport == 443);
  CHECK(t.p.tcp_flags == kSyn);
  CHECK(t.p.src.str() == "fd99::2");
}

TEST_CASE("decode: GRE and VXLAN expose the inner packet", "[sensor][decode]") {
  Dec t;
  Frame inner = udp_ipv4();
  Frame gre = {0, 0, 0x08, 0x00};
  Frame f = eth(0x0800);
  append(f, ipv4(47, 0xc0a80001, 0xc0a80002, gre.size() + inner.size()));
  append(f, gre);
  append(f, inner);
  REQUIRE(t.run(f));
  CHECK(t.p.tunnel_depth == 1);
  CHECK(t.p.src.str() == "10.0.0.1");
  CHECK(t.p.dport == 53);

  Dec v;
  Frame vx = {0x08, 0, 0, 0, 0, 0, 42, 0};
  Frame in_eth = eth(0x0800);
  append(in_eth, inner);
  Frame g = eth(0x0800);
  append(g, ipv4(17, 0xc0a80001, 0xc0a80002, 8 + vx.size() + in_eth.size()));
  append(g, udp(40000, 4789, vx.size() + in_eth.size()));
  append(g, vx);
  append(g, in_eth);
  REQUIRE(v.run(g));
  CHECK(v.p.tunnel_depth == 1);
  CHECK(v.p.dst.str() == "10.0.0.2");
  CHECK(v.p.dport == 53);
}

TEST_CASE("decode: other link types (SLL, SLL2, null, raw)", "[sensor][decode]") {
  Frame ip = udp_ipv4();
  {
    Dec t;
    Frame f(14, 0);
    put16(f, 0x0800);
    append(f, ip);
    REQUIRE(t.run(f, kDltLinuxSll));
    CHECK(t.p.dport == 53);
  }
  {
    Dec t;
    Frame f;
    put16(f, 0x0800);
    f.resize(20, 0);
    append(f, ip);
    REQUIRE(t.run(f, kDltLinuxSll2));
    CHECK(t.p.dport == 53);
  }
  {
    Dec t;
    Frame f = {2, 0, 0, 0};  // AF_INET, little-endian host
    append(f, ip);
    REQUIRE(t.run(f, kDltNull));
    CHECK(t.p.dport == 53);
  }
  {
    Dec t;
    REQUIRE(t.run(ip, kDltRaw));
    CHECK(t.p.dport == 53);
  }
  {
    Dec t;
    Frame f = {1, 2, 3};
    CHECK_FALSE(t.run(f, 147));
    CHECK(t.c.get(Counter::link_unsupported) == 1);
  }
}

TEST_CASE("decode: truncated and malformed headers are counted", "[sensor][decode]") {
  Frame good = eth(0x0800);
  append(good, udp_ipv4());
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    Dec t;
    Frame f(good.begin(), good.begin() + long(cut));
    t.run(f);  // must not crash at any length
    std::uint64_t anomalies = 0;
    for (std::size_t i = 0; i < kCounterCount; ++i)
      if (kCounterNames[i].find("truncated") != std::string_view::npos) anomalies += t.c.v[i];
    INFO("cut at " << cut);
    CHECK(anomalies >= 1);
  }
  Dec bad;
  Frame f = eth(0x0800);
  Frame ip = udp_ipv4();
  ip[0] = 0x43;  // header length 12 < 20
  append(f, ip);
  bad.run(f);
  CHECK(bad.c.get(Counter::ipv4_bad_hlen) == 1);
}

TEST_CASE("decode: IPv4 fragments reassemble; overlaps are counted", "[sensor][decode][defrag]") {
  Dec t;
  std::string payload(24, 'A');
  Frame u = udp(1111, 9999, payload.size());
  append(u, payload);  // 32 bytes of transport data
  auto frag = [&](std::size_t off, std::size_t len, bool more, char fill) {
    Frame f = eth(0x0800);
    append(f,
           ipv4(17, 0x0a000001, 0x0a000002, len, 77, std::uint16_t((more ? 0x2000 : 0) | off / 8)));
    Frame part(u.begin() + long(off), u.begin() + long(off + len));
    if (fill) std::fill(part.begin(), part.end(), std::uint8_t(fill));
    append(f, part);
    return f;
  };
  CHECK(t.run(frag(16, 16, false, 0)));
  CHECK(t.p.fragment_held);
  CHECK(t.run(frag(8, 16, true, 'Z')));  // overlaps the first one with different bytes
  CHECK(t.c.get(Counter::defrag_overlap) == 1);
  CHECK(t.run(frag(0, 8, true, 0)));
  CHECK(t.p.defragmented);
  CHECK(t.p.dport == 9999);
  CHECK(t.p.payload.size() == 24);
  CHECK(t.c.get(Counter::defrag_reassembled) == 1);
}

TEST_CASE("decode: defrag memcap bounds held fragments", "[sensor][decode][defrag]") {
  Counters c;
  DefragConfig dc;
  dc.memcap = 1000;
  Decoder d(c, dc);
  Packet p;
  for (std::uint16_t id = 0; id < 100; ++id) {
    Frame f = eth(0x0800);
    append(f, ipv4(17, 0x0a000001, 0x0a000002, 64, id, 0x2000));
    append(f, std::string(64, 'x'));
    d.decode(kDltEthernet, 1'000'000, Bytes(f), std::uint32_t(f.size()), p);
  }
  CHECK(c.get(Counter::defrag_memcap) > 80);
}

TEST_CASE("shard hash is symmetric", "[sensor][decode][threads]") {
  Frame a = eth(0x0800);
  append(a, ipv4(6, 0x0a000001, 0x0a000002, 20));
  append(a, tcp(1, 2, 0, 0, kSyn));
  Frame b = eth(0x0800);
  append(b, ipv4(6, 0x0a000002, 0x0a000001, 20));
  append(b, tcp(2, 1, 0, 0, kSyn | kAck));
  CHECK(shard_hash(kDltEthernet, Bytes(a)) == shard_hash(kDltEthernet, Bytes(b)));
}

TEST_CASE("shard hash spreads TCP connections of one host pair, keeps fragments together",
          "[sensor][decode][threads]") {
  // The bench traffic is one client and one server: sharding by addresses
  // alone would put every connection on one worker.
  auto segment = [](Frame ip, std::uint16_t sp, std::uint16_t dp, std::uint8_t flags) {
    Frame f = eth(ip[0] >> 4 == 6 ? 0x86dd : 0x0800);
    append(f, ip);
    append(f, tcp(sp, dp, 0, 0, flags));
    return shard_hash(kDltEthernet, Bytes(f));
  };
  std::set<std::uint32_t> shards;
  for (std::uint16_t port = 40000; port < 40064; ++port) {
    std::uint32_t h = segment(ipv4(6, 0x0a000001, 0x0a000002, 20), port, 443, kSyn);
    REQUIRE(h == segment(ipv4(6, 0x0a000002, 0x0a000001, 20), 443, port, kSyn | kAck));
    shards.insert(h % 2);
    REQUIRE(segment(ipv6(6, 1, 2, 20), port, 443, kSyn) ==
            segment(ipv6(6, 2, 1, 20), 443, port, kSyn | kAck));
  }
  CHECK(shards.size() == 2);
  // UDP, whole or fragmented, goes by the address pair.
  Frame whole = eth(0x0800);
  append(whole, ipv4(17, 0x0a000001, 0x0a000002, 8));
  append(whole, udp(5000, 9999, 0));
  Frame first = eth(0x0800);
  append(first, ipv4(17, 0x0a000001, 0x0a000002, 8, 7, 0x2000));
  append(first, udp(5000, 9999, 0));
  Frame later = eth(0x0800);
  append(later, ipv4(17, 0x0a000002, 0x0a000001, 8, 7, 0x00b9));
  append(later, Frame(8, 0xab));
  CHECK(shard_hash(kDltEthernet, Bytes(whole)) == shard_hash(kDltEthernet, Bytes(first)));
  CHECK(shard_hash(kDltEthernet, Bytes(whole)) == shard_hash(kDltEthernet, Bytes(later)));
}

TEST_CASE("shard: a fragmented TCP segment is marked and, reassembled, hashes as when whole",
          "[sensor][decode][threads]") {
  Frame seg = tcp(40001, 21, 1, 1, kAck | kPsh);
  append(seg, std::string("PASS secret\r\n"));
  Frame whole = eth(0x0800);
  append(whole, ipv4(6, 0x0a000001, 0x0a000002, seg.size()));
  append(whole, seg);
  auto v4 = [&](std::size_t off, std::size_t len, bool more) {
    Frame f = eth(0x0800);
    append(f,
           ipv4(6, 0x0a000001, 0x0a000002, len, 9, std::uint16_t((more ? 0x2000 : 0) | off / 8)));
    f.insert(f.end(), seg.begin() + long(off), seg.begin() + long(off + len));
    return f;
  };
  auto v6 = [&](std::size_t off, std::size_t len, bool more) {
    Frame f = eth(0x86dd);
    append(f, ipv6(44, 1, 2, 8 + len));
    f.insert(f.end(), {6, 0});
    put16(f, std::uint16_t(off | (more ? 1 : 0)));
    put32(f, 9);
    f.insert(f.end(), seg.begin() + long(off), seg.begin() + long(off + len));
    return f;
  };
  Frame whole6 = eth(0x86dd);
  append(whole6, ipv6(6, 1, 2, seg.size()));
  append(whole6, seg);
  for (bool six : {false, true}) {
    INFO((six ? "IPv6" : "IPv4"));
    Frame first = six ? v6(0, 16, true) : v4(0, 16, true);
    Frame last = six ? v6(16, seg.size() - 16, false) : v4(16, seg.size() - 16, false);
    FrameShard w = frame_shard(kDltEthernet, Bytes(six ? whole6 : whole));
    FrameShard a = frame_shard(kDltEthernet, Bytes(first)),
               b = frame_shard(kDltEthernet, Bytes(last));
    CHECK(!w.tcp_fragment);
    CHECK(a.tcp_fragment);
    CHECK(b.tcp_fragment);
    CHECK(a.hash == b.hash);  // the address pair's
    CHECK(a.hash != w.hash);  // the ports count in the whole segment's
    // A worker's copy that another worker counts: reassembled, nothing counted.
    Dec copy;
    Packet& p = copy.p;
    copy.d.decode(kDltEthernet, 1, Bytes(last), std::uint32_t(last.size()), p, false);
    CHECK(p.fragment_held);
    copy.d.decode(kDltEthernet, 2, Bytes(first), std::uint32_t(first.size()), p, false);
    REQUIRE(p.defragmented);
    CHECK(p.dport == 21);
    CHECK(p.datagram_hash == w.hash);
    CHECK(copy.c.v == Counters{}.v);
    // The counting worker counts what one thread counts.
    Dec counted;
    counted.run(last);
    counted.run(first);
    CHECK(counted.p.datagram_hash == w.hash);
    CHECK(counted.c.get(Counter::packets) == 2);
    CHECK(counted.c.get(Counter::defrag_fragments) == 2);
    CHECK(counted.c.get(Counter::defrag_reassembled) == 1);
  }
  // An atomic IPv6 fragment (offset 0, no more) is a whole packet: hashed with its ports.
  Frame atomic = v6(0, seg.size(), false);
  FrameShard at = frame_shard(kDltEthernet, Bytes(atomic));
  CHECK(!at.tcp_fragment);
  CHECK(at.hash == frame_shard(kDltEthernet, Bytes(whole6)).hash);
}

TEST_CASE("shard: only the counting worker counts a datagram's timeout",
          "[sensor][decode][threads]") {
  Counters c;
  DefragConfig dc;
  Decoder d(c, dc);
  Packet p;
  for (std::uint16_t id : {5, 6}) {  // first fragments only: neither completes
    Frame f = eth(0x0800);
    append(f, ipv4(6, 0x0a000001, 0x0a000002, 16, id, 0x2000));
    append(f, Frame(16, 0x41));
    d.decode(kDltEthernet, 1'000'000, Bytes(f), std::uint32_t(f.size()), p, id == 6);
    CHECK(p.fragment_held);
  }
  d.expire(1'000'000 + dc.timeout_us + 1);
  CHECK(c.get(Counter::defrag_timeout) == 1);
  CHECK(c.get(Counter::defrag_fragments) == 1);
  CHECK(c.get(Counter::packets) == 1);
}

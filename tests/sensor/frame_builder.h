// Builds frames byte by byte for decoder and stream tests (headers that the
// corpus does not contain: QinQ, MPLS, GRE, VXLAN, IPv6 extension headers...).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace vigil::sensor::test {

using Frame = std::vector<std::uint8_t>;

inline void put16(Frame& f, std::uint16_t v) {
  f.push_back(std::uint8_t(v >> 8));
  f.push_back(std::uint8_t(v));
}
inline void put32(Frame& f, std::uint32_t v) {
  put16(f, std::uint16_t(v >> 16));
  put16(f, std::uint16_t(v));
}
inline void append(Frame& f, const Frame& g) {
  f.insert(f.end(), g.begin(), g.end());
}
inline void append(Frame& f, const std::string& s) {
  f.insert(f.end(), s.begin(), s.end());
}

inline Frame eth(std::uint16_t type) {
  Frame f = {0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02};
  put16(f, type);
  return f;
}
inline Frame vlan(std::uint16_t id, std::uint16_t next) {
  Frame f;
  put16(f, id);
  put16(f, next);
  return f;
}
inline Frame ipv4(std::uint8_t proto, std::uint32_t src, std::uint32_t dst, std::size_t payload,
                  std::uint16_t id = 1, std::uint16_t frag = 0) {
  Frame f = {0x45, 0};
  put16(f, std::uint16_t(20 + payload));
  put16(f, id);
  put16(f, frag);
  f.push_back(64);
  f.push_back(proto);
  put16(f, 0);
  put32(f, src);
  put32(f, dst);
  return f;
}
inline Frame ipv6(std::uint8_t next, std::uint8_t last_src, std::uint8_t last_dst,
                  std::size_t payload) {
  Frame f;
  put32(f, 0x60000000);
  put16(f, std::uint16_t(payload));
  f.push_back(next);
  f.push_back(64);
  for (int i = 0; i < 2; ++i) {
    Frame a = {0xfd, 0x99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, i ? last_dst : last_src};
    append(f, a);
  }
  return f;
}
inline Frame udp(std::uint16_t sp, std::uint16_t dp, std::size_t payload) {
  Frame f;
  put16(f, sp);
  put16(f, dp);
  put16(f, std::uint16_t(8 + payload));
  put16(f, 0);
  return f;
}
inline Frame tcp(std::uint16_t sp, std::uint16_t dp, std::uint32_t seq, std::uint32_t ack,
                 std::uint8_t flags) {
  Frame f;
  put16(f, sp);
  put16(f, dp);
  put32(f, seq);
  put32(f, ack);
  f.push_back(0x50);
  f.push_back(flags);
  put16(f, 65535);
  put32(f, 0);
  return f;
}

// Ethernet + IPv4 + TCP with payload, 10.0.0.1 <-> 10.0.0.2.
inline Frame tcp_packet(bool from_client, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                        const std::string& data = "") {
  Frame f = eth(0x0800);
  std::uint32_t c = 0x0a000001, s = 0x0a000002;
  append(f, ipv4(6, from_client ? c : s, from_client ? s : c, 20 + data.size()));
  append(f, tcp(from_client ? 40000 : 80, from_client ? 80 : 40000, seq, ack, flags));
  append(f, data);
  return f;
}

// Minimal pcap (EN10MB) writer: the generated captures are big, so frames go
// straight to a buffered FILE*.
class PcapWriter {
 public:
  explicit PcapWriter(const std::string& path) : f_(std::fopen(path.c_str(), "wb")) {
    std::uint32_t hdr[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 262144, 1};
    std::fwrite(hdr, sizeof hdr, 1, f_);
  }
  ~PcapWriter() { std::fclose(f_); }
  void write(std::int64_t ts_us, const Frame& fr) {
    std::uint32_t rec[4] = {std::uint32_t(ts_us / 1'000'000), std::uint32_t(ts_us % 1'000'000),
                            std::uint32_t(fr.size()), std::uint32_t(fr.size())};
    std::fwrite(rec, sizeof rec, 1, f_);
    std::fwrite(fr.data(), 1, fr.size(), f_);
  }

 private:
  std::FILE* f_;
};

}  // namespace vigil::sensor::test

// Named anomaly and activity counters (cf. Zeek weirds, Suricata stats).
// Malformed input increments a counter and is never an exception. The X-macro
// list below is the one place a counter is declared; names are what users see
// in --stats and in the stderr summary.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace vigil::sensor {

#define VIGIL_SENSOR_COUNTERS(C)                           \
  C(packets, "capture.packets")                            \
  C(bytes, "capture.bytes")                                \
  C(link_unsupported, "decode.link.unsupported")           \
  C(eth_truncated, "decode.ethernet.truncated")            \
  C(eth_other_type, "decode.ethernet.other_type")          \
  C(arp, "decode.arp")                                     \
  C(vlan_truncated, "decode.vlan.truncated")               \
  C(vlan_too_many, "decode.vlan.too_many_layers")          \
  C(mpls_truncated, "decode.mpls.truncated")               \
  C(mpls_too_many, "decode.mpls.too_many_labels")          \
  C(sll_truncated, "decode.sll.truncated")                 \
  C(sll2_truncated, "decode.sll2.truncated")               \
  C(null_truncated, "decode.null.truncated")               \
  C(null_unknown_family, "decode.null.unknown_family")     \
  C(raw_bad_version, "decode.raw.bad_version")             \
  C(ipv4_truncated, "decode.ipv4.truncated")               \
  C(ipv4_bad_version, "decode.ipv4.bad_version")           \
  C(ipv4_bad_hlen, "decode.ipv4.bad_header_length")        \
  C(ipv4_bad_total_len, "decode.ipv4.bad_total_length")    \
  C(ipv4_opt_malformed, "decode.ipv4.option_malformed")    \
  C(ipv4_frag_bad, "decode.ipv4.fragment_malformed")       \
  C(ipv6_truncated, "decode.ipv6.truncated")               \
  C(ipv6_bad_version, "decode.ipv6.bad_version")           \
  C(ipv6_exthdr_truncated, "decode.ipv6.exthdr_truncated") \
  C(ipv6_exthdr_too_many, "decode.ipv6.exthdr_too_many")   \
  C(ipv6_frag_bad, "decode.ipv6.fragment_malformed")       \
  C(ip_other_proto, "decode.ip.other_protocol")            \
  C(tcp_truncated, "decode.tcp.truncated")                 \
  C(tcp_bad_offset, "decode.tcp.bad_data_offset")          \
  C(tcp_opt_malformed, "decode.tcp.option_malformed")      \
  C(udp_truncated, "decode.udp.truncated")                 \
  C(udp_bad_len, "decode.udp.bad_length")                  \
  C(icmp_truncated, "decode.icmpv4.truncated")             \
  C(icmpv6_truncated, "decode.icmpv6.truncated")           \
  C(gre_truncated, "decode.gre.truncated")                 \
  C(gre_unsupported, "decode.gre.unsupported_version")     \
  C(vxlan_truncated, "decode.vxlan.truncated")             \
  C(tunnel_too_deep, "decode.tunnel.too_deep")             \
  C(defrag_fragments, "defrag.fragments")                  \
  C(defrag_reassembled, "defrag.reassembled")              \
  C(defrag_overlap, "defrag.overlap")                      \
  C(defrag_too_large, "defrag.too_large")                  \
  C(defrag_memcap, "defrag.memcap_drop")                   \
  C(defrag_timeout, "defrag.timeout")                      \
  C(flows_created, "flow.created")                         \
  C(flows_ended, "flow.ended")                             \
  C(flows_evicted, "flow.evicted")                         \
  C(flows_timeout, "flow.timeout")                         \
  C(stream_segments, "stream.segments")                    \
  C(stream_retransmissions, "stream.retransmissions")      \
  C(stream_out_of_order, "stream.out_of_order")            \
  C(stream_overlap_diff, "stream.overlap_different_data")  \
  C(stream_gaps, "stream.gaps")                            \
  C(stream_gap_bytes, "stream.gap_bytes")                  \
  C(stream_depth_reached, "stream.depth_reached")          \
  C(stream_memcap, "stream.memcap_hit")                    \
  C(stream_no_syn, "stream.midstream")                     \
  C(app_detected, "app.detected")                          \
  C(app_unknown, "app.unknown")                            \
  C(dns_malformed, "app.dns.malformed")                    \
  C(http_malformed, "app.http.malformed")                  \
  C(http_resync, "app.http.resync")                        \
  C(http_body_capped, "app.http.body_capped")              \
  C(http_decompress_bomb, "app.http.decompress_ratio_cap") \
  C(http_decompress_error, "app.http.decompress_error")    \
  C(tls_malformed, "app.tls.malformed")                    \
  C(tls_cert_malformed, "app.tls.certificate_malformed")   \
  C(ssh_malformed, "app.ssh.malformed")                    \
  C(ftp_malformed, "app.ftp.malformed")                    \
  C(smtp_malformed, "app.smtp.malformed")                  \
  C(dhcp_malformed, "app.dhcp.malformed")                  \
  C(app_buffer_full, "app.buffer_full")                    \
  C(events, "output.events")                               \
  C(file_truncated, "capture.file_truncated")              \
  C(kernel_drops, "capture.kernel_drops")                  \
  C(if_drops, "capture.interface_drops")

enum class Counter : std::uint16_t {
#define VIGIL_C(id, name) id,
  VIGIL_SENSOR_COUNTERS(VIGIL_C)
#undef VIGIL_C
      kCount
};

constexpr std::size_t kCounterCount = std::size_t(Counter::kCount);

constexpr std::array<std::string_view, kCounterCount> kCounterNames = {
#define VIGIL_C(id, name) name,
    VIGIL_SENSOR_COUNTERS(VIGIL_C)
#undef VIGIL_C
};

// Plain array: incrementing must be as cheap as a counter in a struct, and one
// per worker thread means no atomics on the hot path (summed at the end).
struct Counters {
  std::array<std::uint64_t, kCounterCount> v{};
  void inc(Counter c, std::uint64_t n = 1) { v[std::size_t(c)] += n; }
  std::uint64_t get(Counter c) const { return v[std::size_t(c)]; }
  void add(const Counters& o) {
    for (std::size_t i = 0; i < kCounterCount; ++i) v[i] += o.v[i];
  }
};

}  // namespace vigil::sensor

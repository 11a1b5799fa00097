#include "sensor/flow/flow.h"

#include "sensor/protocols/analyzer.h"

namespace vigil::sensor {

Flow::Flow() = default;
Flow::~Flow() = default;

std::string_view tcp_state_name(TcpState s) {
  switch (s) {
    case TcpState::kNone:
      return "none";
    case TcpState::kSynSent:
      return "syn_sent";
    case TcpState::kSynRecv:
      return "syn_recv";
    case TcpState::kEstablished:
      return "established";
    case TcpState::kClosing:
      return "closing";
    case TcpState::kClosed:
      return "closed";
  }
  return "none";
}

// Non-cryptographic mixing (table placement and sharding only).
static inline std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

std::size_t FlowKeyHash::operator()(const FlowKey& k) const {
  std::uint64_t h = 0;
  std::uint64_t w;
  for (int i = 0; i < 16; i += 8) {
    __builtin_memcpy(&w, k.a + i, 8);
    h = mix(h, w);
    __builtin_memcpy(&w, k.b + i, 8);
    h = mix(h, w);
  }
  h = mix(h, std::uint64_t(k.pa) << 32 | std::uint64_t(k.pb) << 16 | k.vlan);
  h = mix(h, std::uint64_t(k.proto) << 8 | k.alen);
  return std::size_t(h * 0xff51afd7ed558ccdULL);
}

}  // namespace vigil::sensor

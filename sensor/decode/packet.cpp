// Address text forms used in events (same as inet_ntop, no allocation on the hot path:
// only called when an event is written).
#include "sensor/decode/packet.h"

#include <arpa/inet.h>

namespace vigil::sensor {

std::string IpAddr::str() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (len == 4)
    inet_ntop(AF_INET, b, buf, sizeof buf);
  else if (len == 16)
    inet_ntop(AF_INET6, b, buf, sizeof buf);
  return buf;
}

int compare_endpoint(const IpAddr& a, std::uint16_t pa, const IpAddr& b, std::uint16_t pb) {
  if (a.len != b.len) return a.len < b.len ? -1 : 1;
  int c = std::memcmp(a.b, b.b, a.len);
  if (c) return c;
  return pa == pb ? 0 : (pa < pb ? -1 : 1);
}

}  // namespace vigil::sensor

#include "sensor/flow/community_id.h"

#include <openssl/evp.h>

#include <cstring>

namespace vigil::sensor {

namespace {

// Request/response ICMP types map to each other so both directions share an ID;
// other types are "one-way" and keep their orientation (spec section ICMP).
int icmp_counterpart(std::uint8_t type, bool v6) {
  if (!v6) {
    switch (type) {
      case 8:
        return 0;
      case 0:
        return 8;
      case 13:
        return 14;
      case 14:
        return 13;
      case 15:
        return 16;
      case 16:
        return 15;
      case 10:
        return 9;
      case 9:
        return 10;
      case 17:
        return 18;
      case 18:
        return 17;
      default:
        return -1;
    }
  }
  switch (type) {
    case 128:
      return 129;
    case 129:
      return 128;
    case 133:
      return 134;
    case 134:
      return 133;
    case 135:
      return 136;
    case 136:
      return 135;
    case 130:
      return 131;
    case 131:
      return 130;
    case 144:
      return 145;
    case 145:
      return 144;
    default:
      return -1;
  }
}

}  // namespace

std::string community_id_v1(const IpAddr& src, const IpAddr& dst, std::uint8_t proto,
                            std::uint16_t sport, std::uint16_t dport, std::uint16_t seed) {
  bool has_ports = proto == kProtoTCP || proto == kProtoUDP || proto == 132 ||
                   proto == kProtoICMP || proto == kProtoICMPv6;
  bool one_way = false;
  if (proto == kProtoICMP || proto == kProtoICMPv6) {
    int other = icmp_counterpart(std::uint8_t(sport), proto == kProtoICMPv6);
    if (other < 0)
      one_way = true;
    else
      dport = std::uint16_t(other);
  }
  const IpAddr* a = &src;
  const IpAddr* b = &dst;
  if (!one_way && compare_endpoint(src, sport, dst, dport) > 0) {
    std::swap(a, b);
    std::swap(sport, dport);
  }
  std::uint8_t buf[2 + 16 + 16 + 2 + 4];
  std::size_t n = 0;
  buf[n++] = std::uint8_t(seed >> 8);
  buf[n++] = std::uint8_t(seed);
  std::memcpy(buf + n, a->b, a->len);
  n += a->len;
  std::memcpy(buf + n, b->b, b->len);
  n += b->len;
  buf[n++] = proto;
  buf[n++] = 0;
  if (has_ports) {
    buf[n++] = std::uint8_t(sport >> 8);
    buf[n++] = std::uint8_t(sport);
    buf[n++] = std::uint8_t(dport >> 8);
    buf[n++] = std::uint8_t(dport);
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;
  // Fetched once: EVP_sha1() makes OpenSSL 3 look the algorithm up (under a
  // lock) on every call, and every event carries a Community ID.
  static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  EVP_Digest(buf, n, md, &mdlen, sha1 ? sha1 : EVP_sha1(), nullptr);
  unsigned char b64[64];
  int len = EVP_EncodeBlock(b64, md, int(mdlen));
  return "1:" + std::string(reinterpret_cast<char*>(b64), std::size_t(len));
}

}  // namespace vigil::sensor

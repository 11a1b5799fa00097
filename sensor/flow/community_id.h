// Community ID v1 (https://github.com/corelight/community-id-spec): a flow hash
// every tool computes the same way, so our events join with Zeek/Suricata/EDR
// data. SHA-1 through OpenSSL EVP, base64 through OpenSSL.
#pragma once

#include <cstdint>
#include <string>

#include "sensor/decode/packet.h"

namespace vigil::sensor {

// For ICMP/ICMPv6 pass type as sport and code as dport; the spec's
// request/response mapping is applied here.
std::string community_id_v1(const IpAddr& src, const IpAddr& dst, std::uint8_t proto,
                            std::uint16_t sport, std::uint16_t dport, std::uint16_t seed = 0);

}  // namespace vigil::sensor

// Symmetric shard hash for --threads: walks the link layer to the outermost IP
// header. Whole TCP segments hash the address pair and the ports, so the
// connections between two hosts spread over the workers; everything else
// (UDP, ICMP, tunnels, IP fragments) hashes the address pair only, so that
// every fragment of a datagram lands where its unfragmented peers do. A TCP
// segment split into IP fragments (rare: MSS and path-MTU discovery avoid it)
// is therefore handled by the worker of its address pair, which may not be
// the one that owns its connection.
#pragma once

#include <cstdint>

#include "sensor/common/reader.h"

namespace vigil::sensor {

std::uint32_t shard_hash(int dlt, Bytes frame);

}  // namespace vigil::sensor

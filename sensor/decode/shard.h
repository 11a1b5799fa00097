// Symmetric shard hash for --threads: walks the link layer to the outermost IP
// header. Whole TCP segments hash the address pair and the ports, so the
// connections between two hosts spread over the workers; everything else
// (UDP, ICMP, tunnels) hashes the address pair only. A fragment of a TCP
// segment cannot be placed from its own bytes (later fragments carry no
// ports), so frame_shard() marks it: every worker gets it and reassembles it,
// and only the worker that datagram_shard_hash() names keeps the reassembled
// segment (engine/worker.h); the address-pair hash says which worker counts
// it. Other fragments keep the address pair, as their whole datagrams do.
#pragma once

#include <cstdint>

#include "sensor/common/reader.h"
#include "sensor/decode/packet.h"

namespace vigil::sensor {

struct FrameShard {
  std::uint32_t hash = 0;
  bool tcp_fragment = false;  // hash is then the address pair's
};

FrameShard frame_shard(int dlt, Bytes frame);
std::uint32_t shard_hash(int dlt, Bytes frame);  // frame_shard(...).hash

// The hash shard_hash() gives the whole packet that a reassembled datagram
// (transport bytes `l4` of protocol `proto` between src and dst) would be.
std::uint32_t datagram_shard_hash(const IpAddr& src, const IpAddr& dst, std::uint8_t proto,
                                  Bytes l4);

}  // namespace vigil::sensor

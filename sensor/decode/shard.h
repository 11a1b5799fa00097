// Symmetric shard hash for --threads: walks the link layer to the outermost IP
// header and hashes the address pair so that both directions, and every
// fragment of a datagram, land on the same worker.
#pragma once

#include <cstdint>

#include "sensor/common/reader.h"

namespace vigil::sensor {

std::uint32_t shard_hash(int dlt, Bytes frame);

}  // namespace vigil::sensor

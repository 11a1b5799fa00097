// Who "this host" is in host findings: hostname and machine id, read from the scanned
// root (an image mounted under --root describes itself, not the scanning machine).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/finding/finding.h"

namespace vigil::scanner {

// hostname: ROOT/etc/hostname when root is not "/", else gethostname(); host_id:
// ROOT/etc/machine-id (empty when missing). With neither, hostname = the root path.
core::Asset host_asset(const std::string& root);

// "100", "64K", "10M", "2G", "1T" (binary units, optional trailing "B"/"iB").
std::optional<std::uint64_t> parse_size(std::string_view s);

}  // namespace vigil::scanner

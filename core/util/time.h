// Timestamps: RFC 3339 UTC text on disk, microseconds since the epoch in memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

using Micros = std::int64_t;  // microseconds since 1970-01-01T00:00:00Z

Micros now_micros();
// "2026-11-26T12:00:00Z", or with ".123456" when the fraction is not zero.
std::string format_rfc3339(Micros t);
// The same text appended to `out` (no string of its own: lists write two per row).
void append_rfc3339(std::string& out, Micros t);
// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" (space allowed for T).
std::optional<Micros> parse_rfc3339(std::string_view s);

}  // namespace vigil

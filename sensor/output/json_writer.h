// Serialises an event (nlohmann ordered_json) as compact JSON into a reused
// buffer. Same bytes as `dump(-1, ' ', false, error_handler_t::replace)`
// (tests/sensor/json_writer_test.cpp checks it on random strings) without the
// serializer's per-character virtual writes and a fresh string per event:
// event writing is on the hot path of `vigil sensor`.
#pragma once

#include <string>
#include <string_view>

#include "sensor/output/event_sink.h"

namespace vigil::sensor {

// Appends `s` as a JSON string literal: quotes, escapes, and invalid UTF-8
// replaced by U+FFFD the way nlohmann's `replace` handler does.
void append_json_string(std::string& out, std::string_view s);
// Appends `j` (compact, no spaces).
void append_json(std::string& out, const Json& j);

}  // namespace vigil::sensor

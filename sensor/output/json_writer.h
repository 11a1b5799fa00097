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

// Appends `j` (compact, no spaces); strings go through
// vigil::append_json_string (core/util/json_text.h).
void append_json(std::string& out, const Json& j);

}  // namespace vigil::sensor

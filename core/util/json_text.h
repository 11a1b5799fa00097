// JSON string literals written by hand, byte for byte what nlohmann's
// dump(-1, ' ', false, error_handler_t::replace) writes: the event writer and
// `findings list` copy most of their output through and only need strings
// escaped, without building a DOM per line.
#pragma once

#include <string>
#include <string_view>

namespace vigil {

// Appends `s` as a JSON string literal: quotes, the escapes nlohmann uses,
// and invalid UTF-8 replaced by U+FFFD the way its `replace` handler does.
void append_json_string(std::string& out, std::string_view s);

}  // namespace vigil

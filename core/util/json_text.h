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

// Well-formed UTF-8 (RFC 3629), as nlohmann requires of a string it dumps
// without a replace handler: a tenant or an audit note must be, or a
// fingerprint or history entry could not be written.
bool valid_utf8(std::string_view s);

}  // namespace vigil

#include "sensor/output/json_writer.h"

#include <charconv>
#include <cstdint>

namespace vigil::sensor {

namespace {

// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlongs,
// no surrogates, at most U+10FFFF), or 0 when it is not one. `valid` is then
// the number of bytes forming a valid prefix (the "maximal subpart" that one
// U+FFFD replaces, as nlohmann's decoder does).
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::size_t& valid) {
  const auto b0 = std::uint8_t(s[i]);
  std::size_t n;
  std::uint8_t lo = 0x80, hi = 0xbf;  // range of the second byte
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    if (b0 == 0xe0) lo = 0xa0;
    if (b0 == 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    if (b0 == 0xf0) lo = 0x90;
    if (b0 == 0xf4) hi = 0x8f;
  } else {
    valid = 0;
    return 0;
  }
  valid = 1;
  for (std::size_t k = 1; k < n; ++k) {
    if (i + k >= s.size()) return 0;
    const auto b = std::uint8_t(s[i + k]);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf)) return 0;
    ++valid;
  }
  return n;
}

bool plain(std::uint8_t c) {
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = i;
    while (run < s.size() && plain(std::uint8_t(s[run]))) ++run;
    out.append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) break;
    const auto c = std::uint8_t(s[i]);
    if (c < 0x80) {  // a control character, quote or backslash
      out.push_back('\\');
      switch (c) {
        case '"':
        case '\\':
          out.push_back(char(c));
          break;
        case '\b':
          out.push_back('b');
          break;
        case '\t':
          out.push_back('t');
          break;
        case '\n':
          out.push_back('n');
          break;
        case '\f':
          out.push_back('f');
          break;
        case '\r':
          out.push_back('r');
          break;
        default:
          out.append("u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
      }
      ++i;
      continue;
    }
    std::size_t valid = 0;
    if (std::size_t n = utf8_sequence(s, i, valid)) {
      out.append(s.data() + i, n);
      i += n;
    } else {
      out.append("\xEF\xBF\xBD");
      i += valid ? valid : 1;  // the byte that broke the sequence starts anew
    }
  }
  out.push_back('"');
}

void append_json(std::string& out, const Json& j) {
  char num[32];
  switch (j.type()) {
    case Json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, v] : j.get_ref<const Json::object_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, k);
        out.push_back(':');
        append_json(out, v);
      }
      out.push_back('}');
      return;
    }
    case Json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const Json& v : j) {
        if (!first) out.push_back(',');
        first = false;
        append_json(out, v);
      }
      out.push_back(']');
      return;
    }
    case Json::value_t::string:
      append_json_string(out, j.get_ref<const std::string&>());
      return;
    case Json::value_t::boolean:
      out.append(j.get<bool>() ? "true" : "false");
      return;
    case Json::value_t::null:
      out.append("null");
      return;
    case Json::value_t::number_integer: {
      auto r = std::to_chars(num, num + sizeof num, j.get<std::int64_t>());
      out.append(num, r.ptr);
      return;
    }
    case Json::value_t::number_unsigned: {
      auto r = std::to_chars(num, num + sizeof num, j.get<std::uint64_t>());
      out.append(num, r.ptr);
      return;
    }
    default:  // floats and binary: rare in events, nlohmann's own formatting
      out.append(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      return;
  }
}

}  // namespace vigil::sensor

#include "core/util/json_text.h"

#include <cstdint>
#include <cstring>

namespace vigil {
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

// Printable ASCII but '"' and '\\': written as is.
bool plain(std::uint8_t c) {
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

// End of the run of plain bytes starting at `i`, eight bytes per step while
// it can (a long list spends its time here).
std::size_t plain_run_end(std::string_view s, std::size_t i) {
  constexpr std::uint64_t k01 = 0x0101010101010101ull, k80 = 0x8080808080808080ull;
  auto has_zero = [](std::uint64_t v) { return (v - k01) & ~v & k80; };
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    // High bit set, or a control byte (w - 0x20 borrows into the high bit
    // only where a byte is below 0x20 and had it clear), or '"' or '\\'.
    if ((w & k80) | ((w - 0x20 * k01) & ~w & k80) | has_zero(w ^ (0x22 * k01)) |
        has_zero(w ^ (0x5c * k01)))
      break;
  }
  while (i < s.size() && plain(std::uint8_t(s[i]))) ++i;
  return i;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t run = plain_run_end(s, i);
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

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0, valid; i < s.size();) {
    if (std::uint8_t(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence(s, i, valid);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace vigil

#include <openssl/evp.h>

#include "sensor/protocols/common/line_buffer.h"

namespace vigil::sensor {

std::string clean_text(std::string_view s, std::size_t max) {
  std::string out;
  out.reserve(std::min(s.size(), max));
  for (char ch : s.substr(0, max)) {
    unsigned char c = static_cast<unsigned char>(ch);
    out.push_back(c >= 0x20 && c < 0x7f ? ch : '.');
  }
  return out;
}

std::string base64_decode(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() % 4 || s.size() > 16384) return {};
  std::string out(s.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(s.data()), int(s.size()));
  if (n < 0) return {};
  // EVP_DecodeBlock counts padding as zero bytes.
  std::size_t pad = 0;
  if (s.size() >= 1 && s.back() == '=') ++pad;
  if (s.size() >= 2 && s[s.size() - 2] == '=') ++pad;
  out.resize(std::size_t(n) - pad);
  return out;
}

}  // namespace vigil::sensor

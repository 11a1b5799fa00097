// Line assembly for text protocols (HTTP headers, FTP, SMTP, SSH banners).
// Bytes are appended only while a line is incomplete; complete lines inside
// one chunk are handed out as views of the chunk itself (no copy). The buffer
// is capped: an over-long line is dropped and counted, parsing resumes at the next LF.
#pragma once

#include <string>
#include <string_view>

#include "sensor/common/counters.h"
#include "sensor/common/reader.h"

namespace vigil::sensor {

class LineBuffer {
 public:
  explicit LineBuffer(std::size_t cap = 8192) : cap_(cap) {}

  // Calls fn(line) for each complete line, CR/LF stripped. fn returns false to
  // stop consuming (the unconsumed rest is returned, e.g. a body that follows).
  template <typename Fn>
  Bytes feed(Bytes data, Counters& c, Fn&& fn) {
    std::string_view s = as_sv(data);
    while (!s.empty()) {
      std::size_t lf = s.find('\n');
      if (lf == std::string_view::npos) {
        if (overflow_) return {};
        if (pending_.size() + s.size() > cap_) {
          c.inc(Counter::app_buffer_full);
          pending_.clear();
          overflow_ = true;
        } else {
          pending_.append(s);
        }
        return {};
      }
      std::string_view piece = s.substr(0, lf);
      s.remove_prefix(lf + 1);
      if (overflow_) {  // tail of a dropped line
        overflow_ = false;
        continue;
      }
      std::string_view line;
      if (!pending_.empty()) {
        pending_.append(piece);
        line = pending_;
      } else {
        line = piece;
      }
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      bool go = fn(line);
      pending_.clear();
      if (!go) return as_bytes(s);
    }
    return {};
  }
  void reset() {
    pending_.clear();
    overflow_ = false;
  }

 private:
  std::size_t cap_;
  std::string pending_;
  bool overflow_ = false;
};

// Case-insensitive ASCII helpers for protocol keywords.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x + 32);
    if (y >= 'A' && y <= 'Z') y = char(y + 32);
    if (x != y) return false;
  }
  return true;
}
inline bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}
// Printable, bounded copy of wire text for events.
std::string clean_text(std::string_view s, std::size_t max = 1024);
// Base64 decode via OpenSSL (empty on error).
std::string base64_decode(std::string_view s);

}  // namespace vigil::sensor

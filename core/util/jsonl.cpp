#include "core/util/jsonl.h"

#include <cerrno>
#include <cstring>

namespace vigil {

namespace {
constexpr std::size_t kBlock = 1u << 20;
}

JsonLinesReader::JsonLinesReader(std::string path, std::size_t max_line)
    : path_(std::move(path)), max_line_(max_line) {}

Result<JsonLinesReader> JsonLinesReader::open(const std::string& path, std::size_t max_line) {
  JsonLinesReader r(path, max_line);
  r.in_.reset(std::fopen(path.c_str(), "rb"));
  if (!r.in_) return Error{path, std::string("cannot open: ") + std::strerror(errno)};
  return r;
}

bool JsonLinesReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  // Lines end at or before end_, so kPadding spare bytes past the block
  // keep the promise made in jsonl.h.
  if (buf_.size() < end_ + kBlock + kPadding) buf_.resize(end_ + kBlock + kPadding);
  const std::size_t got = std::fread(buf_.data() + end_, 1, kBlock, in_.get());
  if (got == 0) eof_ = true;
  end_ += got;
  return got > 0;
}

bool JsonLinesReader::next_line(std::string_view& text, Error& err) {
  err = Error{};
  for (;;) {
    const char* base = buf_.data();
    const void* nl = pos_ < end_ ? std::memchr(base + pos_, '\n', end_ - pos_) : nullptr;
    std::size_t stop;  // end of this line's bytes
    if (nl) {
      stop = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
    } else if (skipping_ || end_ - pos_ > max_line_) {
      // An over-long line is reported once, then skipped to its end without
      // buffering it (memory stays capped).
      bytes_ += end_ - pos_;
      pos_ = end_;
      if (!skipping_) {
        ++line_;
        skipping_ = true;
        err = Error{path_ + ":" + std::to_string(line_),
                    "line longer than " + std::to_string(max_line_) + " bytes"};
        return true;
      }
      if (!fill()) return false;
      continue;
    } else if (fill()) {
      continue;
    } else if (pos_ < end_) {
      stop = end_;  // last line without a newline
    } else {
      return false;
    }
    // buf_.data() again: fill() may have reallocated the buffer above.
    std::string_view l(buf_.data() + pos_, stop - pos_);
    bytes_ += l.size() + 1;
    pos_ = stop < end_ ? stop + 1 : stop;
    if (skipping_) {  // the tail of an over-long line already reported
      skipping_ = false;
      continue;
    }
    ++line_;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (l.size() > max_line_) {
      err = Error{path_ + ":" + std::to_string(line_),
                  "line longer than " + std::to_string(max_line_) + " bytes"};
      return true;
    }
    text = l;
    return true;
  }
}

bool JsonLinesReader::next(nlohmann::json& out, Error& err) {
  std::string_view text;
  if (!next_line(text, err)) return false;
  if (!err.what.empty()) return true;
  out = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) err = Error{path_ + ":" + std::to_string(line_), "not valid JSON"};
  return true;
}

}  // namespace vigil

#include "core/util/jsonl.h"

#include <cerrno>
#include <cstring>

namespace vigil {

JsonLinesReader::JsonLinesReader(std::string path, std::size_t max_line)
    : path_(std::move(path)), max_line_(max_line) {}

Result<JsonLinesReader> JsonLinesReader::open(const std::string& path, std::size_t max_line) {
  JsonLinesReader r(path, max_line);
  r.in_.open(path, std::ios::binary);
  if (!r.in_) return Error{path, std::string("cannot open: ") + std::strerror(errno)};
  return r;
}

bool JsonLinesReader::next(nlohmann::json& out, Error& err) {
  err = Error{};
  while (std::getline(in_, buf_)) {
    ++line_;
    bytes_ += buf_.size() + 1;
    if (!buf_.empty() && buf_.back() == '\r') buf_.pop_back();
    if (buf_.find_first_not_of(" \t") == std::string::npos) continue;
    if (buf_.size() > max_line_) {
      err = Error{path_ + ":" + std::to_string(line_),
                  "line longer than " + std::to_string(max_line_) + " bytes"};
      return true;
    }
    out = nlohmann::json::parse(buf_, nullptr, /*allow_exceptions=*/false);
    if (out.is_discarded()) {
      err = Error{path_ + ":" + std::to_string(line_), "not valid JSON"};
    }
    return true;
  }
  return false;
}

}  // namespace vigil

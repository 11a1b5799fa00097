// JSON Lines input with line numbers and a per-line size cap (untrusted files).
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/util/result.h"

namespace vigil {

class JsonLinesReader {
 public:
  static constexpr std::size_t kDefaultMaxLine = 4u << 20;  // 4 MiB

  // Result carries "PATH: cannot open: reason" on failure.
  static Result<JsonLinesReader> open(const std::string& path,
                                      std::size_t max_line = kDefaultMaxLine);

  // Reads the next non-blank line. Returns false at end of file. On a
  // malformed or over-long line, sets `err` ("PATH:LINE", reason) and returns true.
  bool next(nlohmann::json& out, Error& err);
  std::size_t line() const { return line_; }
  std::uint64_t bytes_read() const { return bytes_; }
  const std::string& path() const { return path_; }

 private:
  JsonLinesReader(std::string path, std::size_t max_line);
  std::string path_;
  std::size_t max_line_;
  std::size_t line_ = 0;
  std::uint64_t bytes_ = 0;
  std::ifstream in_;
  std::string buf_;
};

}  // namespace vigil

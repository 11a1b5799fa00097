// JSON Lines input with line numbers and a per-line size cap (untrusted files).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/util/result.h"

namespace vigil {

class JsonLinesReader {
 public:
  static constexpr std::size_t kDefaultMaxLine = 4u << 20;  // 4 MiB
  // At least this many readable bytes (of unspecified value) follow every
  // line next_line() returns: enough for simdjson to parse the line in place
  // instead of copying it into a padded buffer first.
  static constexpr std::size_t kPadding = 64;

  // Result carries "PATH: cannot open: reason" on failure.
  static Result<JsonLinesReader> open(const std::string& path,
                                      std::size_t max_line = kDefaultMaxLine);

  // Reads the next non-blank line. Returns false at end of file. On a
  // malformed or over-long line, sets `err` ("PATH:LINE", reason) and returns true.
  bool next(nlohmann::json& out, Error& err);
  // Same, without parsing: `text` views the line (no newline, no trailing CR)
  // and stays valid until the next call. Bulk importers use it to parse on
  // another thread or to keep the raw text.
  bool next_line(std::string_view& text, Error& err);
  std::size_t line() const { return line_; }
  std::uint64_t bytes_read() const { return bytes_; }
  const std::string& path() const { return path_; }

 private:
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  JsonLinesReader(std::string path, std::size_t max_line);
  bool fill();  // moves the unread tail to the front and reads more; false at EOF
  std::string path_;
  std::size_t max_line_;
  std::size_t line_ = 0;
  std::uint64_t bytes_ = 0;
  std::unique_ptr<std::FILE, Closer> in_;
  // One block read at a time instead of a getline per line: the per-line
  // istream overhead was a visible share of a million-finding import.
  std::string buf_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false, skipping_ = false;
};

}  // namespace vigil

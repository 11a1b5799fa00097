// PCRE2 (Perl syntax, as OVAL requires) with JIT. Each pattern is compiled once and
// cached; every match runs under match/depth limits so a catastrophic pattern yields an
// error, never a hang.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/util/result.h"

namespace vigil::scanner {

class Regex {
 public:
  enum Options : std::uint32_t {
    kMultiline = 1,  // ^/$ at line boundaries
    kDotAll = 2,     // '.' matches newline
    kCaseless = 4,
  };
  enum class Match { kYes, kNo, kError };
  struct Group {
    bool set = false;
    std::size_t begin = 0, end = 0;
  };

  // Compiled pattern from the process-wide cache (thread safe).
  static Result<std::shared_ptr<const Regex>> get(std::string_view pattern,
                                                  std::uint32_t options = 0);

  // Searches `subject` from `start`. groups (if given) receive group 0..n.
  Match search(std::string_view subject, std::size_t start, std::vector<Group>* groups,
               std::string* error = nullptr) const;
  Match search(std::string_view subject) const { return search(subject, 0, nullptr); }
  int capture_count() const { return captures_; }

  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

 private:
  Regex() = default;
  void* code_ = nullptr;  // pcre2_code_8*
  int captures_ = 0;
};

}  // namespace vigil::scanner

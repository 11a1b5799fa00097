// A sound pre-filter for `scan files`: from the rule SOURCE we compile, it derives for
// each rule the necessary conditions that are cheap to test without libyara (file size
// bounds and fixed header bytes such as `uint16(0) == 0x5a4d`). A file for which no
// rule's necessary conditions hold cannot match any rule, so libyara need not scan it.
//
// Soundness argument (why a skipped file never loses a match):
//  - A YARA condition `C1 and C2 and ... and Cn` (top level, no `or` at that level; `and`
//    binds tighter than `or`, so one top-level `or` makes the whole thing a disjunction
//    and we derive nothing) is true only if every Ci is true. We only use Ci that are
//    exactly `filesize OP NUMBER` or `uintW[be](CONST) == NUMBER` (either side order);
//    every other conjunct is ignored, which can only keep more files, never fewer. A
//    parenthesised conjunct `( ... )` is analysed the same way recursively.
//  - `uintW(off)` on a file shorter than off+W is undefined in YARA, and an undefined
//    operand makes the comparison, hence the `and`, false: such a rule cannot match.
//  - A file is skipped only if EVERY rule (private and global ones included) fails its
//    conditions; one rule without derived conditions keeps every file.
//  - We analyse the very bytes libyara compiles (Rules::compile feeds both from one
//    buffer), and the analysis is used only if the rules found in the source are, in
//    order, the rules libyara compiled. Anything the small parser does not understand
//    (an `include`, an unbalanced condition, an odd token) switches the filter off.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::scanner::yara {

// `uintW[be](offset) == value`.
struct HeaderCheck {
  unsigned width = 1;  // bytes: 1, 2 or 4
  bool big_endian = false;
  std::uint32_t offset = 0;
  std::uint64_t value = 0;
  bool operator==(const HeaderCheck&) const = default;
};

// Necessary conditions of one rule: min_size <= filesize <= max_size and every check.
struct Gate {
  std::uint64_t min_size = 0;
  std::uint64_t max_size = std::numeric_limits<std::uint64_t>::max();
  std::vector<HeaderCheck> header;
  bool operator==(const Gate&) const = default;
};

struct RuleSource {
  std::string file;  // for messages
  std::string text;
};

class Prefilter {
 public:
  // `compiled` = identifiers of the compiled rules in libyara's order.
  static Prefilter analyse(const std::vector<RuleSource>& sources,
                           const std::vector<std::string>& compiled);

  // False: every file must be scanned (why() says why).
  bool active() const { return active_; }
  const std::string& why() const { return why_; }
  // Header bytes may_match() needs to see (0 when no gate checks header bytes).
  std::size_t header_bytes() const { return header_bytes_; }
  // May any rule match a file of `size` bytes whose first bytes are `head` (the whole
  // file, or at least min(size, header_bytes()) bytes of it)? Always true when inactive.
  bool may_match(std::uint64_t size, std::string_view head) const;
  // True when every rule's condition needs at least one of its own strings to match
  // (`any of them`, `$a and filesize < 1MB`, `$a at 0 or all of them`...), read from the
  // same source and only when it is the compiled rule set: then data in which no string
  // of any rule matches cannot match a rule (the sensor skips condition evaluation for
  // such data, sensor/detect/yara.cpp). False whenever in doubt.
  bool strings_required() const { return strings_required_; }
  // The distinct gates (tests, diagnostics).
  const std::vector<Gate>& gates() const { return gates_; }

 private:
  bool active_ = false;
  bool strings_required_ = false;
  std::string why_;
  std::size_t header_bytes_ = 0;
  std::vector<Gate> gates_;
};

}  // namespace vigil::scanner::yara

// Streaming reader of one results file (docs/results.md) for `vigil report`. A
// 1,000-host report reads ~600 MB of results, mostly the same rule texts again
// and again, so the file is not turned into one DOM: a simdjson reader keeps only
// the members the report reads and fills each element of the top-level "rules"
// array into a fixed set of slots (no map, no member names), hands it to a
// callback and reuses the slots. What remains (host, benchmark, scores,
// frameworks, an empty "rules") is an ordinary small DOM.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace vigil::reports {

// The members of a rule the report reads, by name; null = absent.
struct RuleFields {
  static constexpr std::string_view kNames[] = {
      "id",    "result",      "severity",  "weight",  "role",       "message",    "evidence",
      "title", "description", "rationale", "fixtext", "group_path", "references", "idents"};
  static constexpr std::size_t kCount = std::size(kNames);
  // Index of `name` in kNames, kCount when the report does not read it.
  static std::size_t index(std::string_view name);

  std::array<nlohmann::json, kCount> values;
  bool is_object = true;  // false: the element of /rules was not an object

  nlohmann::json* find(std::string_view name) {
    const std::size_t i = index(name);
    return i < kCount ? &values[i] : nullptr;
  }
  const nlohmann::json* find(std::string_view name) const {
    const std::size_t i = index(name);
    return i < kCount ? &values[i] : nullptr;
  }
  // The rule members of a DOM rule object, moved out of it.
  static RuleFields from_json(nlohmann::json&& rule);
};

// Reads one results file with simdjson On-Demand: members the report never
// reads are skipped without being built; each element of the top-level "rules"
// array goes to the callback as soon as it is read. One reader per thread (the
// simdjson parser and its buffers are reused across files).
class ResultsReader {
 public:
  // Called with each complete element of /rules and its index; may move from it.
  using OnRule = std::function<void(RuleFields& rule, std::size_t index)>;
  // Deeper nesting is refused: no results file nests that deep; a hostile one
  // cannot make us build arbitrarily deep values.
  static constexpr std::size_t kMaxDepth = 256;
  // Bytes the buffer handed to parse() must hold past the text (simdjson reads ahead).
  static std::size_t padding();

  ResultsReader();
  ~ResultsReader();
  ResultsReader(const ResultsReader&) = delete;
  ResultsReader& operator=(const ResultsReader&) = delete;

  // `text` is `size` bytes followed by at least padding() more; false on error.
  bool parse(const char* text, std::size_t size, const OnRule& on_rule);
  nlohmann::json& root() { return root_; }
  // Byte offset of a syntax error (0: none known, e.g. nesting cap).
  std::size_t error_offset() const { return error_offset_; }
  const std::string& error() const { return error_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  nlohmann::json root_;
  std::size_t error_offset_ = 0;
  std::string error_;
};

}  // namespace vigil::reports

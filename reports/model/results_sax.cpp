// See results_sax.h. simdjson On-Demand walks the text once; what the report
// keeps is converted to nlohmann values (the model and the DOM reader used by
// tests speak nlohmann), the rest is skipped by simdjson without being built.
#include "reports/model/results_sax.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include <simdjson.h>

namespace vigil::reports {

namespace {

using nlohmann::json;
namespace od = simdjson::ondemand;

// The members load.cpp reads at the top level. The rest of a rule (check,
// fixes, warnings...) is skipped by RuleFields.
constexpr std::string_view kTopKeys[] = {"format",  "format_version", "host",     "benchmark",
                                         "profile", "start_time",     "end_time", "scores",
                                         "rules",   "frameworks"};

// Our own cap, told apart from simdjson's error codes.
constexpr auto kTooDeep = simdjson::DEPTH_ERROR;

// Builds `out` from `v`; `depth` = containers around `v`.
simdjson::error_code to_json(od::value v, json& out, std::size_t depth) {
  od::json_type type;
  if (auto e = v.type().get(type)) return e;
  switch (type) {
    case od::json_type::object: {
      if (depth >= ResultsReader::kMaxDepth) return kTooDeep;
      od::object obj;
      if (auto e = v.get_object().get(obj)) return e;
      out = json::object();
      for (auto member : obj) {
        od::field field;
        std::string_view key;
        if (auto e = std::move(member).get(field)) return e;
        if (auto e = field.unescaped_key().get(key)) return e;
        // operator[] replaces a repeated member: the last one wins, as in nlohmann.
        json& slot = out[std::string(key)];
        slot = nullptr;
        if (auto e = to_json(field.value(), slot, depth + 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      if (depth >= ResultsReader::kMaxDepth) return kTooDeep;
      od::array arr;
      if (auto e = v.get_array().get(arr)) return e;
      out = json::array();
      for (auto element : arr) {
        od::value ev;
        if (auto e = element.get(ev)) return e;
        json item;
        if (auto e = to_json(ev, item, depth + 1)) return e;
        out.push_back(std::move(item));
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return e;
      out = std::string(s);
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      od::number n;
      if (auto e = v.get_number().get(n); e == simdjson::SUCCESS) {
        if (n.is_int64())
          out = n.get_int64();
        else if (n.is_uint64())
          out = n.get_uint64();
        else
          out = n.get_double();
        return simdjson::SUCCESS;
      }
      // An integer beyond 64 bits: nlohmann reads it as a double; let it.
      const std::string_view raw = v.raw_json_token();
      json parsed = json::parse(raw, nullptr, false);
      if (!parsed.is_number()) return simdjson::NUMBER_ERROR;
      out = std::move(parsed);
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool b;
      if (auto e = v.get_bool().get(b)) return e;
      out = b;
      return simdjson::SUCCESS;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = v.is_null().get(is_null)) return e;
      if (!is_null) return simdjson::N_ATOM_ERROR;
      out = nullptr;
      return simdjson::SUCCESS;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

}  // namespace

std::size_t RuleFields::index(std::string_view name) {
  return static_cast<std::size_t>(std::find(std::begin(kNames), std::end(kNames), name) -
                                  std::begin(kNames));
}

RuleFields RuleFields::from_json(json&& rule) {
  RuleFields f;
  f.is_object = rule.is_object();
  if (f.is_object)
    for (auto& [k, v] : rule.items())
      if (json* slot = f.find(k)) *slot = std::move(v);
  return f;
}

struct ResultsReader::Impl {
  od::parser parser;
  RuleFields rule;  // the rule being read; slots reused from rule to rule
};

std::size_t ResultsReader::padding() {
  return simdjson::SIMDJSON_PADDING;
}

ResultsReader::ResultsReader() : impl_(std::make_unique<Impl>()) {}
ResultsReader::~ResultsReader() = default;

bool ResultsReader::parse(const char* text, std::size_t size, const OnRule& on_rule) {
  root_ = nullptr;
  error_offset_ = 0;
  error_.clear();
  RuleFields& rule = impl_->rule;
  std::size_t rule_index = 0;
  od::document doc;
  bool iterating = false;          // doc is valid (stage 1 done)
  const char* trailing = nullptr;  // the first byte after the top-level object
  // Each element of /rules (2 containers around it) into the rule slots.
  auto read_rule = [&](od::value v) -> simdjson::error_code {
    od::json_type type;
    if (auto e = v.type().get(type)) return e;
    for (auto& slot : rule.values) slot = nullptr;
    if (type == od::json_type::object) {
      od::object obj;
      if (auto e = v.get_object().get(obj)) return e;
      for (auto member : obj) {
        od::field field;
        std::string_view key;
        if (auto e = std::move(member).get(field)) return e;
        if (auto e = field.unescaped_key().get(key)) return e;
        if (json* slot = rule.find(key)) {
          *slot = nullptr;
          if (auto e = to_json(field.value(), *slot, 3)) return e;
        }
      }
      rule.is_object = true;
    } else {
      json ignored;  // read (checked, capped) but not kept: the callback says so
      if (auto e = to_json(v, ignored, 2)) return e;
      rule.is_object = false;
    }
    on_rule(rule, rule_index++);
    return simdjson::SUCCESS;
  };
  auto read_doc = [&]() -> simdjson::error_code {
    if (auto e = impl_->parser.iterate(text, size, size + padding()).get(doc)) return e;
    iterating = true;
    od::json_type type;
    if (auto e = doc.type().get(type)) return e;
    if (type != od::json_type::object) {
      // Not our format: read_head() says so once the text is known to be JSON.
      if (type != od::json_type::array) return simdjson::SUCCESS;
      od::value v;
      if (auto e = doc.get_value().get(v)) return e;
      json ignored;
      return to_json(v, ignored, 0);
    }
    od::object top;
    if (auto e = doc.get_object().get(top)) return e;
    root_ = json::object();
    for (auto member : top) {
      od::field field;
      std::string_view key;
      if (auto e = std::move(member).get(field)) return e;
      if (auto e = field.unescaped_key().get(key)) return e;
      if (std::find(std::begin(kTopKeys), std::end(kTopKeys), key) == std::end(kTopKeys))
        continue;  // skipped by simdjson when the loop moves on
      json& slot = root_[std::string(key)];
      slot = nullptr;
      od::value v = field.value();
      od::json_type vt;
      if (auto e = v.type().get(vt)) return e;
      if (key == "rules" && vt == od::json_type::array) {
        slot = json::array();  // stays empty: rules go to the callback
        od::array arr;
        if (auto e = v.get_array().get(arr)) return e;
        for (auto element : arr) {
          od::value ev;
          if (auto e = element.get(ev)) return e;
          if (auto e = read_rule(ev)) return e;
        }
      } else if (auto e = to_json(v, slot, 1)) {
        return e;
      }
    }
    // Anything after the top-level object is not JSON.
    if (doc.current_location().get(trailing) == simdjson::SUCCESS)
      return simdjson::TRAILING_CONTENT;
    return simdjson::SUCCESS;
  };
  const simdjson::error_code e = read_doc();
  if (e == simdjson::SUCCESS) return true;
  if (e == kTooDeep) {
    error_ = "nested deeper than " + std::to_string(kMaxDepth) + " levels";
    return false;
  }
  error_ = "not valid JSON";
  // 1-based like nlohmann's positions, so never 0 (0 = no offset known).
  const char* at = trailing;
  if (iterating && (at || doc.current_location().get(at) == simdjson::SUCCESS) && at >= text &&
      at <= text + size)
    error_offset_ = static_cast<std::size_t>(at - text) + 1;
  else
    error_offset_ = size + 1;
  return false;
}

}  // namespace vigil::reports

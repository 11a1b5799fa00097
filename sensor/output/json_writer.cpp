#include "sensor/output/json_writer.h"

#include <charconv>
#include <cstdint>

#include "core/util/json_text.h"

namespace vigil::sensor {

void append_json(std::string& out, const Json& j) {
  char num[32];
  switch (j.type()) {
    case Json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, v] : j.get_ref<const Json::object_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, k);
        out.push_back(':');
        append_json(out, v);
      }
      out.push_back('}');
      return;
    }
    case Json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const Json& v : j) {
        if (!first) out.push_back(',');
        first = false;
        append_json(out, v);
      }
      out.push_back(']');
      return;
    }
    case Json::value_t::string:
      append_json_string(out, j.get_ref<const std::string&>());
      return;
    case Json::value_t::boolean:
      out.append(j.get<bool>() ? "true" : "false");
      return;
    case Json::value_t::null:
      out.append("null");
      return;
    case Json::value_t::number_integer: {
      auto r = std::to_chars(num, num + sizeof num, j.get<std::int64_t>());
      out.append(num, r.ptr);
      return;
    }
    case Json::value_t::number_unsigned: {
      auto r = std::to_chars(num, num + sizeof num, j.get<std::uint64_t>());
      out.append(num, r.ptr);
      return;
    }
    default:  // floats and binary: rare in events, nlohmann's own formatting
      out.append(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      return;
  }
}

}  // namespace vigil::sensor

// JSON form of collections (see facts.h). Loading validates every enumeration by name.
#include "scanner/collectors/facts.h"

namespace vigil::scanner {

nlohmann::json collection_to_json(const Collection& c) {
  nlohmann::json j;
  j["flag"] = to_string(c.flag);
  j["messages"] = c.messages;
  auto& items = j["items"] = nlohmann::json::array();
  for (const auto& it : c.items) {
    nlohmann::json ji;
    ji["type"] = it.type;
    ji["status"] = to_string(it.status);
    if (!it.message.empty()) ji["message"] = it.message;
    if (!it.source_file.empty()) ji["file"] = it.source_file;
    if (it.line) ji["line"] = it.line;
    auto& fields = ji["fields"] = nlohmann::json::array();
    for (const auto& f : it.fields)
      fields.push_back({f.name, f.value, to_string(f.datatype), to_string(f.status)});
    items.push_back(std::move(ji));
  }
  return j;
}

Result<Collection> collection_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return Error{"", "collection is not an object"};
  Collection c;
  auto flag = flag_from(j.value("flag", ""));
  if (!flag) return Error{"", "bad collection flag"};
  c.flag = *flag;
  if (j.contains("messages") && j["messages"].is_array())
    for (const auto& m : j["messages"])
      if (m.is_string()) c.messages.push_back(m.get<std::string>());
  if (!j.contains("items") || !j["items"].is_array()) return Error{"", "collection without items"};
  for (const auto& ji : j["items"]) {
    if (!ji.is_object()) return Error{"", "item is not an object"};
    Item it;
    it.type = ji.value("type", "");
    auto st = status_from(ji.value("status", ""));
    if (!st) return Error{"", "bad item status"};
    it.status = *st;
    it.message = ji.value("message", "");
    it.source_file = ji.value("file", "");
    it.line = ji.value("line", 0);
    if (!ji.contains("fields") || !ji["fields"].is_array()) return Error{"", "item without fields"};
    for (const auto& f : ji["fields"]) {
      if (!f.is_array() || f.size() != 4 || !f[0].is_string() || !f[1].is_string() ||
          !f[2].is_string() || !f[3].is_string())
        return Error{"", "bad item field"};
      auto dt = datatype_from(f[2].get<std::string>());
      auto fs = status_from(f[3].get<std::string>());
      if (!dt || !fs) return Error{"", "bad item field datatype/status"};
      it.fields.push_back({f[0].get<std::string>(), f[1].get<std::string>(), *dt, *fs});
    }
    c.items.push_back(std::move(it));
  }
  return c;
}

}  // namespace vigil::scanner

// Evidence entries -> lines (see evidence_text.h). Unknown kinds are shown as
// compact JSON rather than dropped: an auditor must see everything that decided.
#include "reports/model/evidence_text.h"

namespace vigil::reports {

namespace {

using nlohmann::json;

std::string s(const json& o, const char* key) {
  if (!o.is_object()) return {};
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string asset_text(const json& a) {
  for (const char* k : {"hostname", "ip", "host_id", "mac"})
    if (auto v = s(a, k); !v.empty()) {
      std::string out = v;
      if (auto ip = s(a, "ip"); k != std::string("ip") && !ip.empty()) out += " (" + ip + ")";
      return out;
    }
  return "any asset";
}

// The evidence keys that identify traffic: flow ids, HTTP host, paths.
std::string finding_keys(const json& ev) {
  std::string out;
  if (!ev.is_object()) return out;
  for (const char* k : {"community_id", "flow_id", "uid", "host", "http_host", "sni", "server_name",
                        "path", "file", "line", "src", "dst", "dst_port", "user"})
    if (auto v = s(ev, k); !v.empty()) out += std::string(" ") + k + "=" + v;
  return out;
}

void add(std::vector<std::string>& out, std::size_t max, std::string line) {
  if (out.size() < max) out.push_back(clip_utf8(line, kMaxEvidenceLine));
}

void walk(const json& evidence, std::vector<std::string>& out, std::size_t max,
          const std::string& indent) {
  if (!evidence.is_array()) return;
  for (const auto& e : evidence) {
    if (out.size() >= max) return;
    const std::string kind = s(e, "kind");
    if (kind == "oval") {
      const auto& tests = e.contains("tests") ? e["tests"] : json::array();
      if (!tests.is_array() || tests.empty())
        add(out, max, indent + "OVAL " + s(e, "definition") + ": " + s(e, "result"));
      for (const auto& t : tests.is_array() ? tests : json::array()) {
        const json& items = t.contains("items") ? t["items"] : json::array();
        if (!items.is_array() || items.empty()) {
          std::string c = s(t, "comment");
          add(out, max,
              indent + "OVAL test " + s(t, "test") + (c.empty() ? "" : " (" + c + ")") + ": " +
                  s(t, "result") + (s(t, "flag").empty() ? "" : ", " + s(t, "flag")));
          continue;
        }
        for (const auto& it : items) {
          std::string line = indent;
          if (auto f = s(it, "file"); !f.empty())
            line += f + (s(it, "line").empty() ? "" : ":" + s(it, "line")) + " ";
          line += s(it, "type");
          if (auto r = s(it, "result"); !r.empty()) line += " " + r;
          if (it.contains("fields") && it["fields"].is_object())
            for (const auto& [k, v] : it["fields"].items())
              line += " " + k + "=" +
                      (v.is_string() ? v.get<std::string>()
                                     : v.dump(-1, ' ', false, json::error_handler_t::replace));
          if (auto m = s(it, "message"); !m.empty()) line += " — " + m;
          add(out, max, line);
        }
        if (auto n = s(t, "items_omitted"); !n.empty() && n != "0")
          add(out, max, indent + "… " + n + " more items");
      }
    } else if (kind == "finding") {
      std::string line = indent + "finding " + s(e, "type") + " [" + s(e, "severity") + "] " +
                         asset_text(e.value("asset", json::object()));
      if (auto c = s(e, "count"); !c.empty() && c != "1") line += " ×" + c;
      line += " " + s(e, "first_seen") + " .. " + s(e, "last_seen");
      line += finding_keys(e.value("evidence", json::object()));
      if (auto t = s(e, "title"); !t.empty()) line += ": " + t;
      add(out, max, line);
    } else if (kind == "observation") {
      add(out, max,
          indent + "observed by " + s(e, "source") + " " + s(e, "type") + " on " +
              asset_text(e.value("asset", json::object())) + ", last seen " + s(e, "last_seen"));
    } else if (kind == "check") {
      std::string m = s(e, "message");
      add(out, max,
          indent + "check " + s(e, "name") + ": " + s(e, "result") + (m.empty() ? "" : " — " + m));
      if (e.contains("evidence")) walk(e["evidence"], out, max, indent + "  ");
    } else if (kind == "truncated") {
      add(out, max, indent + "… " + s(e, "omitted") + " more omitted");
    } else {
      add(out, max, indent + e.dump(-1, ' ', false, json::error_handler_t::replace));
    }
  }
}

}  // namespace

std::string clip_utf8(std::string_view in, std::size_t max) {
  if (in.size() <= max) return std::string(in);
  std::size_t cut = max;
  // Back off continuation bytes (10xxxxxx) so a multi-byte character stays whole.
  while (cut > 0 && (static_cast<unsigned char>(in[cut]) & 0xC0) == 0x80) --cut;
  return std::string(in.substr(0, cut)) + "…";
}

std::vector<std::string> evidence_lines(const nlohmann::json& evidence, std::size_t max_lines) {
  std::vector<std::string> out;
  walk(evidence, out, max_lines, "");
  return out;
}

std::string evidence_summary(const nlohmann::json& evidence, std::size_t max_lines) {
  std::string out;
  for (const auto& l : evidence_lines(evidence, max_lines)) out += (out.empty() ? "" : "; ") + l;
  return out;
}

}  // namespace vigil::reports

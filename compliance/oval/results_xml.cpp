// Writes OVAL results with pugixml: per definition its result, per test its result and
// the items it examined (with each item's result), and the items themselves.
#include "compliance/oval/results_xml.h"

#include <pugixml.hpp>

#include <ctime>
#include <map>
#include <set>

namespace vigil::compliance::oval {
namespace {

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", std::gmtime(&t));
  return buf;
}

const char* existence_text(Existence e) {
  switch (e) {
    case Existence::kAllExist:
      return "all_exist";
    case Existence::kAnyExist:
      return "any_exist";
    case Existence::kAtLeastOneExists:
      return "at_least_one_exists";
    case Existence::kNoneExist:
      return "none_exist";
    case Existence::kOnlyOneExists:
      return "only_one_exists";
  }
  return "at_least_one_exists";
}

const char* check_text(Check c) {
  switch (c) {
    case Check::kAll:
      return "all";
    case Check::kAtLeastOne:
      return "at least one";
    case Check::kNoneSatisfy:
      return "none satisfy";
    case Check::kOnlyOne:
      return "only one";
  }
  return "all";
}

}  // namespace

Status write_results(const std::string& path, const Document& doc,
                     const std::vector<DefinitionResult>& results) {
  pugi::xml_document x;
  auto decl = x.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto root = x.append_child("oval_results");
  root.append_attribute("xmlns") = "http://oval.mitre.org/XMLSchema/oval-results-5";
  root.append_attribute("xmlns:oval") = "http://oval.mitre.org/XMLSchema/oval-common-5";
  auto gen = root.append_child("generator");
  gen.append_child("oval:product_name").text() = "vigil";
  gen.append_child("oval:product_version").text() = VIGIL_VERSION;
  gen.append_child("oval:schema_version").text() = "5.11";
  gen.append_child("oval:timestamp").text() = now_iso().c_str();
  auto dir = root.append_child("directives");
  for (const char* d :
       {"definition_true", "definition_false", "definition_unknown", "definition_error",
        "definition_not_evaluated", "definition_not_applicable"}) {
    auto n = dir.append_child(d);
    n.append_attribute("reported") = "true";
    n.append_attribute("content") = "full";
  }
  auto sys = root.append_child("results").append_child("system");
  auto defs = sys.append_child("definitions");
  auto tests = sys.append_child("tests");
  auto sc = sys.append_child("oval_system_characteristics");
  sc.append_attribute("xmlns") = "http://oval.mitre.org/XMLSchema/oval-system-characteristics-5";
  auto sdata = pugi::xml_node();
  std::set<std::string> done_tests;
  std::map<std::string, int> item_ids;  // identical items share an id
  int next_id = 1;
  std::vector<std::pair<int, const ItemEvidence*>> items;
  for (const auto& r : results) {
    auto d = defs.append_child("definition");
    d.append_attribute("definition_id") = r.id.c_str();
    d.append_attribute("version") = "1";
    d.append_attribute("result") = to_string(r.result);
    for (const auto& t : r.tests) {
      if (!done_tests.insert(t.test_id).second) continue;
      const Test& td = doc.tests.at(t.test_id);
      auto tn = tests.append_child("test");
      tn.append_attribute("test_id") = t.test_id.c_str();
      tn.append_attribute("version") = "1";
      tn.append_attribute("check_existence") = existence_text(td.existence);
      tn.append_attribute("check") = check_text(td.check);
      tn.append_attribute("result") = to_string(t.result);
      for (const auto& m : t.messages) tn.append_child("message").text() = m.c_str();
      for (const auto& it : t.items) {
        std::string key = it.type;
        for (const auto& [k, v] : it.fields) key += "\x1f" + k + "=" + v;
        auto [pos, fresh] = item_ids.emplace(key, next_id);
        if (fresh) items.emplace_back(next_id++, &it);
        auto ti = tn.append_child("tested_item");
        ti.append_attribute("item_id") = pos->second;
        ti.append_attribute("result") = to_string(it.result);
      }
    }
  }
  sdata = sc.append_child("system_data");
  for (const auto& [id, it] : items) {
    auto in = sdata.append_child(it->type.c_str());
    in.append_attribute("id") = id;
    in.append_attribute("status") = it->status.c_str();
    for (const auto& [k, v] : it->fields) in.append_child(k.c_str()).text() = v.c_str();
  }
  if (!x.save_file(path.c_str(), "  ")) return Error{path, "cannot write results file"};
  return ok_status();
}

}  // namespace vigil::compliance::oval

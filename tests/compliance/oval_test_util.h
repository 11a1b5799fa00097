// Helpers for OVAL engine tests: wrap definitions/tests/objects/states/variables
// snippets into a complete document, and build small roots under VIGIL_TEST_TMP.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "compliance/oval/engine.h"

namespace oval_test {

inline std::string doc(const std::string& defs, const std::string& tests,
                       const std::string& objects, const std::string& states = "",
                       const std::string& variables = "") {
  return R"(<?xml version="1.0"?>
<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
 xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5"
 xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent"
 xmlns:unix="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix"
 xmlns:linux="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<generator><oval:schema_version>5.11</oval:schema_version><oval:timestamp>2024-01-01T00:00:00</oval:timestamp></generator>
<definitions>)" +
         defs + "</definitions>\n<tests>" + tests + "</tests>\n<objects>" + objects +
         "</objects>\n" + (states.empty() ? "" : "<states>" + states + "</states>\n") +
         (variables.empty() ? "" : "<variables>" + variables + "</variables>\n") +
         "</oval_definitions>\n";
}

// One definition whose criteria is `criteria` (inner XML).
inline std::string def(const std::string& id, const std::string& criteria) {
  return "<definition class=\"compliance\" id=\"" + id +
         "\" version=\"1\"><metadata><title>t</title><description>d</description></metadata>" +
         criteria + "</definition>\n";
}

inline std::string root_dir(const std::string& name) {
  std::string d = std::string(VIGIL_TEST_TMP) + "/oval-unit/" + name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

inline void put(const std::string& root, const std::string& path, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path(root + path).parent_path());
  std::ofstream(root + path, std::ios::binary) << data;
}

// Loads `xml` and evaluates definition `id` against `root` with external values.
inline vigil::compliance::oval::DefinitionResult eval(
    const std::string& xml, const std::string& id, const std::string& root,
    vigil::compliance::oval::ExternalValues ext = {}) {
  namespace ov = vigil::compliance::oval;
  auto d = ov::load_buffer(xml, "test.xml");
  if (!d) {
    ov::DefinitionResult r;
    r.result = ov::OvalResult::kError;
    r.message = d.error().str();
    return r;
  }
  auto src = ov::root_source(root);
  ov::Engine e(**d, *src, std::move(ext));
  return e.evaluate(id);
}

}  // namespace oval_test

// Helpers shared by the `scan files` tests: the (rule, path) pairs of a scan, and the
// same pairs as the real `yara` CLI reports them (the oracle).
#pragma once

#include <catch2/catch.hpp>
#include <set>
#include <sstream>
#include <string>

#include "scanner/yara/file_scan.h"
#include "tests/scanner/walk_test_util.h"

namespace vigil::test {

// "RULE /path/inside/root" for every match of a scan.
inline std::set<std::string> hit_set(const scanner::yara::ScanReport& r) {
  std::set<std::string> out;
  for (const auto& h : r.hits)
    for (const auto& m : h.matches) out.insert(m.rule + " " + h.path);
  return out;
}

// The same pairs from `yara -r -N RULES ROOT`, paths made relative to ROOT.
inline std::set<std::string> yara_cli_hits(const std::string& rules, const std::string& root) {
  const auto cli = run("yara -r -N " + rules + " " + root + " 2>/dev/null");
  REQUIRE(cli.status == 0);
  std::set<std::string> out;
  std::istringstream lines(cli.out);
  for (std::string line; std::getline(lines, line);) {
    const auto sp = line.find(' ');
    REQUIRE(sp != std::string::npos);
    const std::string path = line.substr(sp + 1);
    REQUIRE(path.rfind(root, 0) == 0);
    out.insert(line.substr(0, sp) + " " + path.substr(root.size()));
  }
  return out;
}

inline bool have_yara_cli() {
  return ::system("command -v yara >/dev/null 2>&1") == 0;
}

}  // namespace vigil::test

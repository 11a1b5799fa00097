// `vigil scan files` end to end: findings file, exit codes, compile errors, cache.
#include <catch2/catch.hpp>
#include <sstream>

#include "core/finding/finding.h"
#include "tests/scanner/walk_test_util.h"

using namespace vigil;

namespace {

std::vector<core::Finding> read_findings(const std::string& path) {
  std::vector<core::Finding> out;
  std::istringstream in(test::read_file(path));
  for (std::string line; std::getline(in, line);) {
    auto f = core::finding_from_json(nlohmann::json::parse(line));
    INFO((f.ok() ? std::string() : f.error().str()));
    REQUIRE(f.ok());
    out.push_back(f.value());
  }
  return out;
}

}  // namespace

TEST_CASE("yara CLI: scan files writes findings, honours --fail-on and the cache") {
  const auto base = test::fresh_dir("yara_cli");
  const std::string root = base + "/root", rules = base + "/r.yar", out = base + "/f.jsonl";
  test::write_file(root + "/etc/hostname", "scan-host\n");
  test::write_file(root + "/srv/www/upload/shell.php", "<?php eval($_POST['vigil_cmd']); ?>");
  test::write_file(root + "/srv/www/index.html", "<html></html>");
  test::write_file(
      rules,
      "rule WebShell : webshell { meta: severity = \"high\" strings: $e = /eval\\(\\$_POST/ "
      "condition: $e }\n");
  const std::string vigil = VIGIL_BIN;
  const std::string cmd = vigil + " scan files --root " + root + " --yara " + rules + " --cache " +
                          base + "/c.db --tenant acme --findings " + out;
  auto r = test::run(cmd + " --fail-on high 2>&1");
  CHECK(r.status == 2);
  CHECK(r.out.find("files 3, scanned 3, cached 0") != std::string::npos);
  auto f = read_findings(out);
  REQUIRE(f.size() == 1);
  CHECK(f[0].type == "host.malware.yara");
  CHECK(f[0].asset.hostname == "scan-host");
  CHECK(f[0].evidence["path"] == "/srv/www/upload/shell.php");
  CHECK(f[0].tenant == "acme");

  r = test::run(cmd + " --fail-on critical 2>&1");  // cached re-run: same finding, exit 0
  CHECK(r.status == 0);
  CHECK(r.out.find("scanned 0, cached 3") != std::string::npos);
  const auto again = read_findings(out);
  REQUIRE(again.size() == 1);
  CHECK(again[0].id == f[0].id);

  test::write_file(rules, "rule Broken { strings: $a = \"x\" condition: $b }\n");
  r = test::run(cmd + " 2>&1");
  CHECK(r.status == 1);
  CHECK(r.out.rfind("vigil: " + rules + ":1: undefined string \"$b\"", 0) == 0);

  r = test::run(vigil + " scan files --yara " + rules + " --findings " + out +
                " --max-size 12Q 2>&1");
  CHECK(r.status == 64);
}

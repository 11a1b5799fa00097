// The OVAL oracle: on every fixture root, `oscap oval eval` (OSCAP_PROBE_ROOT) and our
// engine must give the same result for every definition of SSG's Ubuntu 22.04 and
// Debian 11 OVAL content. oscap's answers are cached in the build tree, keyed by the
// fixture's and the content's hashes, so re-runs only pay for our side.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "compliance/oval/engine.h"
#include "core/util/hash.h"
#include "tests/oracle/fixtures.h"

namespace {

namespace fs = std::filesystem;
namespace ov = vigil::compliance::oval;
using vigil::oracle::Fixture;

const char* kContentDir = "/usr/share/xml/scap/ssg/content/";

// Definitions where we knowingly differ from oscap, each explained in
// docs/oval-semantics.md ("Oracle allowlist"). Empty: we currently agree everywhere.
const std::map<std::string, std::string> kAllowlist = {};

std::string read_all(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string tmp_dir() {
  std::string d = std::string(VIGIL_TEST_TMP) + "/oracle";
  fs::create_directories(d);
  return d;
}

std::map<std::string, std::string> parse_lines(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Definition ", 0) != 0) continue;
    auto colon = line.rfind(": ");
    if (colon == std::string::npos) continue;
    out[line.substr(11, colon - 11)] = line.substr(colon + 2);
  }
  return out;
}

std::map<std::string, std::string> oscap_results(const std::string& content,
                                                 const std::string& content_hash, const Fixture& f,
                                                 const std::string& root) {
  std::string key = vigil::oracle::oscap_cache_dir() + "/oval-" +
                    vigil::sha256_hex(content_hash + vigil::oracle::fixture_hash(f)) + ".txt";
  if (fs::exists(key)) return parse_lines(read_all(key));
  std::string apt = vigil::oracle::oscap_apt_conf();
  std::string cmd = "env OSCAP_PROBE_ROOT='" + root + "' APT_CONFIG='" + apt +
                    "' oscap oval eval '" + content + "' 2>/dev/null";
  std::string text;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    ::pclose(p);
  }
  vigil::oracle::clean_oscap_droppings(root);
  auto parsed = parse_lines(text);
  if (!parsed.empty()) {  // written whole, then renamed: a killed run leaves no half answer
    std::ofstream(key + ".tmp") << text;
    fs::rename(key + ".tmp", key);
  }
  return parsed;
}

}  // namespace

TEST_CASE("oracle: vigil and oscap agree on every definition of SSG content", "[oracle]") {
  REQUIRE(::access("/usr/bin/oscap", X_OK) == 0);
  auto fixtures = vigil::oracle::oracle_fixtures();
  REQUIRE(fixtures.size() >= 10);
  std::vector<std::string> unexplained;
  for (const char* name : {"ssg-ubuntu2204-oval.xml", "ssg-debian11-oval.xml"}) {
    std::string content = std::string(kContentDir) + name;
    REQUIRE(fs::exists(content));
    std::string content_hash = vigil::sha256_hex(read_all(content));
    auto doc = ov::load_file(content);
    REQUIRE(doc.ok());
    std::size_t total_same = 0, total = 0;
    std::map<std::string, std::set<std::string>> flips;  // definition -> results seen
    std::vector<std::string> roots;
    for (const auto& f : fixtures) {
      roots.push_back(tmp_dir() + "/" + f.name);
      REQUIRE(vigil::oracle::build_fixture(f, roots.back()).empty());
    }
    std::vector<std::map<std::string, std::string>> answers(fixtures.size());
    vigil::oracle::oscap_apt_conf();  // written once, before the threads read it
    vigil::oracle::parallel_for(fixtures.size(), [&](std::size_t i) {
      answers[i] = oscap_results(content, content_hash, fixtures[i], roots[i]);
    });
    for (std::size_t fi = 0; fi < fixtures.size(); ++fi) {
      const auto& f = fixtures[fi];
      const std::string& root = roots[fi];
      auto& oscap = answers[fi];
      REQUIRE(oscap.size() == (*doc)->definitions.size());
      auto t0 = std::chrono::steady_clock::now();
      auto src = ov::root_source(root);
      ov::Engine engine(**doc, *src);
      auto ours = engine.evaluate_all();
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - t0)
                    .count();
      std::size_t same = 0;
      std::vector<std::string> diffs;
      for (const auto& r : ours) {
        std::string mine = ov::to_string(r.result);
        flips[r.id].insert(mine);
        if (oscap[r.id] == mine) {
          ++same;
        } else {
          diffs.push_back(r.id + " (oscap " + oscap[r.id] + ", vigil " + mine + ")");
          if (!kAllowlist.count(r.id))
            unexplained.push_back(std::string(name) + " " + f.name + ": " + diffs.back());
        }
      }
      total_same += same;
      total += ours.size();
      std::printf("oracle %-24s %-14s %zu/%zu definitions identical (vigil %lld ms)\n", name,
                  f.name.c_str(), same, ours.size(), static_cast<long long>(ms));
      for (const auto& d : diffs) std::printf("    differs: %s\n", d.c_str());
    }
    std::size_t flipping = 0;
    for (const auto& [id, seen] : flips) flipping += seen.size() > 1;
    std::printf(
        "oracle %-24s all fixtures  %zu/%zu definitions identical; %zu definitions change "
        "result across fixtures\n",
        name, total_same, total, flipping);
  }
  for (const auto& u : unexplained) UNSCOPED_INFO(u);
  CHECK(unexplained.empty());
}

TEST_CASE("oracle: scanning a root never modifies it", "[oracle]") {
  auto fixtures = vigil::oracle::oracle_fixtures();
  auto doc = ov::load_file(std::string(kContentDir) + "ssg-ubuntu2204-oval.xml");
  REQUIRE(doc.ok());
  for (const auto& f : fixtures) {
    if (f.name != "accounts" && f.name != "symlink_escape" && f.name != "packages") continue;
    std::string root = tmp_dir() + "/unchanged-" + f.name;
    REQUIRE(vigil::oracle::build_fixture(f, root).empty());
    std::string before = vigil::oracle::hash_tree(root);
    auto src = ov::root_source(root);
    ov::Engine engine(**doc, *src);
    auto results = engine.evaluate_all();
    REQUIRE(results.size() == (*doc)->definitions.size());
    CHECK(vigil::oracle::hash_tree(root) == before);
  }
}

namespace {

std::string run(const std::string& cmd) {
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

}  // namespace

TEST_CASE("oracle: `vigil oval eval` and `vigil scan --facts` replay match oscap", "[oracle]") {
  auto fixtures = vigil::oracle::oracle_fixtures();
  std::string content = std::string(kContentDir) + "ssg-ubuntu2204-oval.xml";
  std::string content_hash = vigil::sha256_hex(read_all(content));
  for (const auto& f : fixtures) {
    if (f.name != "ssh_weak") continue;
    std::string root = tmp_dir() + "/cli-" + f.name;
    REQUIRE(vigil::oracle::build_fixture(f, root).empty());
    auto oscap = oscap_results(content, content_hash, f, root);
    REQUIRE(oscap.size() == 760);
    auto live =
        parse_lines(run(std::string(VIGIL_BIN) + " -q oval eval " + content + " --root " + root));
    CHECK(live == oscap);
    std::string facts = tmp_dir() + "/cli-" + f.name + ".facts.json";
    std::string before = vigil::oracle::hash_tree(root);
    CHECK(std::system((std::string(VIGIL_BIN) + " -q scan --benchmark " + content + " --root " +
                       root + " --facts " + facts)
                          .c_str()) == 0);
    CHECK(vigil::oracle::hash_tree(root) == before);
    fs::remove_all(root);  // assessed centrally: the host is no longer there
    auto replay =
        parse_lines(run(std::string(VIGIL_BIN) + " -q oval eval " + content + " --facts " + facts));
    CHECK(replay == oscap);
  }
}

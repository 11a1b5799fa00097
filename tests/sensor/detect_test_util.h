// Runs the real `vigil sensor --findings` (VIGIL_BIN) and reads what it wrote.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace vigil::sensor::test {

inline std::string detect_tmp() {
  std::string d = std::string(VIGIL_TEST_TMP) + "/detect";
  std::filesystem::create_directories(d);
  return d;
}

inline int run_cmd(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

inline std::vector<nlohmann::json> read_jsonl(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct DetectRun {
  int rc = -1;
  std::string out, stats;
  std::vector<nlohmann::json> findings;
};

// `extra` is appended to the command line (e.g. "--threads 2 --config F").
inline DetectRun detect(const std::string& pcap, const std::string& tag,
                        const std::string& extra = "") {
  DetectRun r;
  std::string base = detect_tmp() + "/" + tag;
  r.out = base + ".findings.jsonl";
  r.stats = base + ".stats.json";
  std::string cmd = std::string(VIGIL_BIN) + " --quiet sensor -r '" + pcap + "' --tenant acme" +
                    " --sensor-name t --findings '" + r.out + "' --stats '" + r.stats + "' " +
                    extra + " 2>'" + base + ".stderr'";
  r.rc = run_cmd(cmd);
  r.findings = read_jsonl(r.out);
  return r;
}

}  // namespace vigil::sensor::test

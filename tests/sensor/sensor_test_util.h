// Shared helpers for the sensor suite: run the real engine on a capture, run
// tshark as the oracle, read the corpus manifest.
#pragma once

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sensor/engine/runner.h"
#include "sensor/output/event_sink.h"

namespace vigil::sensor::test {

inline std::string corpus(const std::string& name) {
  return std::string(VIGIL_CORPUS_DIR) + "/" + name;
}

inline std::string tmp_dir() {
  std::string d = std::string(VIGIL_TEST_TMP) + "/sensor";
  std::filesystem::create_directories(d);
  return d;
}

struct Run {
  std::vector<Json> events;
  RunStats stats;
  bool ok = false;
  std::string error;
  std::vector<Json> of_type(const std::string& t) const {
    std::vector<Json> out;
    for (const auto& e : events)
      if (e["event_type"] == t) out.push_back(e);
    return out;
  }
};

inline Run run_file(const std::string& path, int threads = 1, SensorConfig cfg = {}) {
  MemorySink sink;
  RunOptions opt;
  opt.read_file = path;
  opt.threads = threads;
  cfg.identity.sensor_name = "test";
  auto r = run_sensor(opt, cfg, sink);
  Run out;
  out.ok = r.ok();
  if (r.ok())
    out.stats = r.value();
  else
    out.error = r.error().str();
  out.events = std::move(sink.events);
  return out;
}

// Runs a shell command and returns its stdout lines.
inline std::vector<std::string> lines_of(const std::string& cmd) {
  std::vector<std::string> out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[8192];
  std::string cur;
  while (std::fgets(buf, sizeof buf, p)) {
    cur += buf;
    if (!cur.empty() && cur.back() == '\n') {
      cur.pop_back();
      out.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(cur);
  pclose(p);
  return out;
}

// tshark -T fields output for one display filter, fields separated by '|'.
inline std::vector<std::string> tshark_fields(const std::string& file, const std::string& filter,
                                              const std::vector<std::string>& fields) {
  std::string cmd = "tshark -n -r '" + file + "' -Y '" + filter + "' -T fields -E separator='|'";
  for (const auto& f : fields) cmd += " -e " + f;
  cmd += " 2>/dev/null";
  return lines_of(cmd);
}

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

// MANIFEST.tsv rows: file -> column name -> value.
inline std::map<std::string, std::map<std::string, std::string>> manifest() {
  std::map<std::string, std::map<std::string, std::string>> rows;
  FILE* f = std::fopen(corpus("MANIFEST.tsv").c_str(), "r");
  if (!f) return rows;
  std::vector<std::string> header;
  char buf[65536];
  while (std::fgets(buf, sizeof buf, f)) {
    std::string line(buf);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    auto cols = split(line, '\t');
    if (header.empty()) {
      header = cols;
      continue;
    }
    for (std::size_t i = 0; i < cols.size() && i < header.size(); ++i)
      rows[cols[0]][header[i]] = cols[i];
  }
  std::fclose(f);
  return rows;
}

// "key=value key2=value2" tokens of the tshark_check column.
inline std::map<std::string, std::string> kv_tokens(const std::string& s) {
  std::map<std::string, std::string> out;
  for (const auto& tok : split(s, ' ')) {
    auto eq = tok.find('=');
    if (eq != std::string::npos) out[tok.substr(0, eq)] = tok.substr(eq + 1);
  }
  return out;
}

inline std::vector<std::string> corpus_files() {
  std::vector<std::string> out;
  for (const auto& [file, row] : manifest()) out.push_back(file);
  return out;
}

}  // namespace vigil::sensor::test

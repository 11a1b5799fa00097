// Splitting of colon-separated account databases (/etc/passwd, /etc/shadow).
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace vigil::scanner {

struct ColonRecord {
  std::vector<std::string> fields;
  int line = 0;
};

inline std::vector<ColonRecord> parse_colon_file(const std::string& text) {
  std::vector<ColonRecord> out;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    ColonRecord r;
    r.line = n;
    std::size_t start = 0;
    for (;;) {
      auto c = line.find(':', start);
      r.fields.push_back(
          line.substr(start, c == std::string::npos ? std::string::npos : c - start));
      if (c == std::string::npos) break;
      start = c + 1;
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace vigil::scanner

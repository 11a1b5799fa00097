#include "scanner/walk/findings_out.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

namespace vigil::scanner {

void stamp(std::vector<core::Finding>& findings, const std::string& tenant) {
  for (auto& f : findings) {
    f.tenant = tenant;
    f.id = core::fingerprint(f);
  }
}

Status write_findings(const std::string& path, const std::vector<core::Finding>& findings) {
  if (path == "-") {
    for (const auto& f : findings) std::cout << core::to_json(f).dump() << '\n';
    std::cout.flush();
    return ok_status();
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return Error{path, std::string("cannot write findings: ") + std::strerror(errno)};
    for (const auto& f : findings) out << core::to_json(f).dump() << '\n';
    out.flush();
    if (!out) return Error{path, "write failed (disk full?)"};
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return Error{path, std::string("cannot rename findings file: ") + std::strerror(errno)};
  return ok_status();
}

bool any_at_or_above(const std::vector<core::Finding>& findings,
                     std::optional<core::Severity> threshold) {
  if (!threshold) return false;
  for (const auto& f : findings)
    if (static_cast<int>(f.severity) >= static_cast<int>(*threshold)) return true;
  return false;
}

}  // namespace vigil::scanner

// What the store subcommands (findings, assets) share: the default database
// path and terminal-safe text.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace vigil::cli {

// $VIGIL_DB, else /var/lib/vigil/findings.db for root, else a per-user path.
inline std::string default_db() {
  if (const char* env = std::getenv("VIGIL_DB"); env && *env) return env;
  if (::geteuid() == 0) return "/var/lib/vigil/findings.db";
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  if (xdg && *xdg) return std::string(xdg) + "/vigil/findings.db";
  if (home && *home) return std::string(home) + "/.local/share/vigil/findings.db";
  return "vigil-findings.db";
}

// Terminal output must not let stored text drive the terminal (escape sequences).
inline std::string printable(std::string_view s, std::size_t max) {
  std::string out;
  for (unsigned char c : s) {
    if (out.size() >= max) {
      out.replace(out.size() - 3, 3, "...");
      break;
    }
    out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
  }
  return out;
}

}  // namespace vigil::cli

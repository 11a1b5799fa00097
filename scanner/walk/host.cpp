#include "scanner/walk/host.h"

#include <unistd.h>

#include <cctype>
#include <fstream>

#include "scanner/walk/walker.h"

namespace vigil::scanner {
namespace {

std::string first_line(const std::string& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  // Only the first 255 bytes: an image's file is untrusted input.
  return line.substr(0, 255);
}

}  // namespace

core::Asset host_asset(const std::string& root) {
  core::Asset a;
  const bool live = root.empty() || root == "/";
  if (live) {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) == 0) a.hostname = buf;
  } else {
    a.hostname = first_line(walk::host_path(root, "/etc/hostname"));
  }
  a.host_id = first_line(walk::host_path(root, "/etc/machine-id"));
  // A finding needs an asset: an image without either file is named by its directory.
  if (a.hostname.empty() && a.host_id.empty()) a.hostname = root.substr(0, 255);
  return a;
}

std::optional<std::uint64_t> parse_size(std::string_view s) {
  std::uint64_t v = 0;
  std::size_t i = 0;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
    if (v > (UINT64_MAX - 9) / 10) return std::nullopt;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  if (i == 0) return std::nullopt;
  std::string unit(s.substr(i));
  for (auto& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit.size() > 1 && unit.back() == 'B') unit.pop_back();
  if (unit.size() > 1 && unit.back() == 'I') unit.pop_back();
  int shift = 0;
  if (unit.empty() || unit == "B")
    shift = 0;
  else if (unit == "K")
    shift = 10;
  else if (unit == "M")
    shift = 20;
  else if (unit == "G")
    shift = 30;
  else if (unit == "T")
    shift = 40;
  else
    return std::nullopt;
  if (shift && v > (UINT64_MAX >> shift)) return std::nullopt;
  return v << shift;
}

}  // namespace vigil::scanner

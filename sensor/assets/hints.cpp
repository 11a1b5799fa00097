#include "sensor/assets/hints.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

namespace vigil::sensor::assets {

namespace {

bool icontains(std::string_view hay, std::string_view needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  return it != hay.end();
}

// First match wins: distributions before the kernel/family they run.
constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kOsWords{{
    {"Debian", "Debian"},
    {"Ubuntu", "Ubuntu"},
    {"Raspbian", "Raspbian"},
    {"CentOS", "CentOS"},
    {"Red Hat", "Red Hat"},
    {"RHEL", "Red Hat"},
    {"Fedora", "Fedora"},
    {"SUSE", "SUSE"},
    {"Alpine", "Alpine"},
    {"FreeBSD", "FreeBSD"},
    {"OpenBSD", "OpenBSD"},
    {"Win32", "Windows"},
    {"Win64", "Windows"},
    {"Microsoft", "Windows"},
}};

constexpr std::array<std::string_view, 12> kProducts{
    "Postfix",   "Exim",      "Sendmail",  "qmail",     "vsftpd",  "ProFTPD",
    "Pure-FTPd", "FileZilla", "Microsoft", "OpenSMTPD", "Dovecot", "wu-ftpd"};

}  // namespace

std::uint8_t ttl_bucket(std::uint8_t ttl) {
  for (std::uint8_t b : {32, 64, 128})
    if (ttl <= b) return b;
  return 255;
}

bool is_initial_ttl(std::uint8_t ttl) {
  return ttl == 32 || ttl == 64 || ttl == 128 || ttl == 255;
}

std::string_view ttl_os_family(std::uint8_t bucket) {
  switch (bucket) {
    case 32:
      return "initial TTL 32: old Windows or embedded stack";
    case 64:
      return "initial TTL 64: Linux, Android, macOS, BSD";
    case 128:
      return "initial TTL 128: Windows";
    default:
      return "initial TTL 255: network device, Solaris or AIX";
  }
}

std::optional<std::string> banner_os(std::string_view banner) {
  for (const auto& [word, os] : kOsWords)
    if (icontains(banner, word)) return std::string(os);
  return std::nullopt;
}

std::optional<std::string> banner_product(std::string_view banner) {
  for (std::string_view p : kProducts)
    if (icontains(banner, p)) return std::string(p);
  return std::nullopt;
}

std::optional<std::string> clean_hostname(std::string_view name) {
  while (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return std::nullopt;
  std::string out;
  out.reserve(name.size());
  std::size_t label = 0;
  bool alpha = false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '.') {
      if (label == 0) return std::nullopt;
      label = 0;
    } else if (std::isalnum(u) || c == '-' || c == '_') {
      if (++label > 24) return std::nullopt;
      alpha = alpha || std::isalpha(u);
    } else {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(std::tolower(u)));
  }
  if (!alpha) return std::nullopt;  // "10.0.0.1" is an address, not a name
  return out;
}

std::optional<std::string> host_header_name(std::string_view host) {
  if (host.empty() || host.front() == '[') return std::nullopt;  // [v6 literal]
  if (auto colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
  return clean_hostname(host);
}

std::optional<std::string> reverse_name_ip(std::string_view name) {
  while (!name.empty() && name.back() == '.') name.remove_suffix(1);
  auto ends_with = [&](std::string_view suffix) {
    return name.size() > suffix.size() &&
           icontains(name.substr(name.size() - suffix.size()), suffix);
  };
  std::vector<std::string_view> parts;
  auto split = [&](std::string_view s) {
    while (!s.empty()) {
      auto dot = s.find('.');
      parts.push_back(s.substr(0, dot));
      if (dot == std::string_view::npos) break;
      s.remove_prefix(dot + 1);
    }
  };
  char out[INET6_ADDRSTRLEN] = {};
  if (ends_with(".in-addr.arpa")) {
    split(name.substr(0, name.size() - 13));
    if (parts.size() != 4) return std::nullopt;
    std::string dotted;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it)
      dotted += std::string(*it) + (it + 1 == parts.rend() ? "" : ".");
    unsigned char b[4];
    if (inet_pton(AF_INET, dotted.c_str(), b) != 1) return std::nullopt;
    return std::string(inet_ntop(AF_INET, b, out, sizeof out));
  }
  if (ends_with(".ip6.arpa")) {
    split(name.substr(0, name.size() - 9));
    if (parts.size() != 32) return std::nullopt;
    unsigned char b[16] = {};
    for (std::size_t i = 0; i < 32; ++i) {
      if (parts[i].size() != 1 || !std::isxdigit(static_cast<unsigned char>(parts[i][0])))
        return std::nullopt;
      const int v = std::stoi(std::string(parts[i]), nullptr, 16);
      const std::size_t nib = 31 - i;  // the first label is the last nibble
      b[nib / 2] |= static_cast<unsigned char>(nib % 2 ? v : v << 4);
    }
    return std::string(inet_ntop(AF_INET6, b, out, sizeof out));
  }
  return std::nullopt;
}

}  // namespace vigil::sensor::assets

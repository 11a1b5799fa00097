// The asset-identity rule. A finding's asset is the host when ANY of these holds:
//   host_id equal; MAC equal (case/separator-insensitive); IP equal (textual, after
//   inet_pton normalisation); hostname equal case-insensitively, where a short name also
//   equals the first label of an FQDN ("web1" == "web1.corp.example").
// Why not transitive merging over every finding: a DHCP lease reused by another machine
// would then merge two hosts. Only scanner findings widen the identity (absorb).
#include "compliance/checks/asset_identity.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace vigil::compliance {

namespace {

std::string lower(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

std::string normalize_ip(std::string_view s) {
  std::string str(s);
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, str.c_str(), buf) == 1 && inet_ntop(AF_INET, buf, out, sizeof out))
    return out;
  if (inet_pton(AF_INET6, str.c_str(), buf) == 1 && inet_ntop(AF_INET6, buf, out, sizeof out))
    return out;
  return {};
}

void push_unique(std::vector<std::string>& v, std::string s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

bool hostname_eq(const std::string& a, const std::string& b) {
  if (a == b) return true;
  const auto da = a.find('.'), db = b.find('.');
  // Exactly one is a short name: compare it with the other's first label.
  if (da == std::string::npos && db != std::string::npos)
    return b.compare(0, db, a) == 0 && db == a.size();
  if (db == std::string::npos && da != std::string::npos)
    return a.compare(0, da, b) == 0 && da == b.size();
  return false;
}

}  // namespace

std::string normalize_mac(std::string_view mac) {
  std::string hex;
  for (char c : mac) {
    if (c == ':' || c == '-' || c == '.') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return {};
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (hex.size() != 12) return {};
  std::string out;
  for (std::size_t i = 0; i < 12; i += 2) {
    if (i) out += ':';
    out += hex.substr(i, 2);
  }
  return out;
}

std::string normalize_hostname(std::string_view h) {
  std::string o = lower(h);
  while (!o.empty() && o.back() == '.') o.pop_back();
  return o;
}

void HostIdentity::add_hostname(std::string_view h) {
  push_unique(hostnames, normalize_hostname(h));
}
void HostIdentity::add_ip(std::string_view ip) {
  push_unique(ips, normalize_ip(ip));
}
void HostIdentity::add_mac(std::string_view m) {
  push_unique(macs, normalize_mac(m));
}
void HostIdentity::add_host_id(std::string_view id) {
  push_unique(host_ids, std::string(id));
}

Result<HostIdentity> HostIdentity::parse(std::string_view spec) {
  HostIdentity h;
  h.all_hosts = false;
  while (!spec.empty()) {
    auto comma = spec.find(',');
    std::string_view tok = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (tok.empty()) continue;
    if (tok.starts_with("host_id:")) {
      h.add_host_id(tok.substr(8));
    } else if (!normalize_ip(tok).empty()) {
      h.add_ip(tok);
    } else if (!normalize_mac(tok).empty() && tok.size() > 12) {  // with separators
      h.add_mac(tok);
    } else {
      for (char c : tok)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'))
          return Error{"--host",
                       "not a hostname, IP, MAC or host_id:ID: '" + std::string(tok) + "'"};
      h.add_hostname(tok);
    }
  }
  if (h.hostnames.empty() && h.ips.empty() && h.macs.empty() && h.host_ids.empty())
    return Error{"--host", "empty host identity"};
  return h;
}

bool HostIdentity::matches(const core::Asset& a) const {
  if (all_hosts) return true;
  if (!a.host_id.empty() &&
      std::find(host_ids.begin(), host_ids.end(), a.host_id) != host_ids.end())
    return true;
  if (!a.mac.empty()) {
    const auto m = normalize_mac(a.mac);
    if (!m.empty() && std::find(macs.begin(), macs.end(), m) != macs.end()) return true;
  }
  if (!a.ip.empty()) {
    const auto ip = normalize_ip(a.ip);
    if (!ip.empty() && std::find(ips.begin(), ips.end(), ip) != ips.end()) return true;
  }
  if (!a.hostname.empty()) {
    const auto hn = normalize_hostname(a.hostname);
    for (const auto& h : hostnames)
      if (hostname_eq(h, hn)) return true;
  }
  return false;
}

void HostIdentity::absorb(const core::Asset& a) {
  if (all_hosts) return;
  add_host_id(a.host_id);
  if (!a.hostname.empty()) add_hostname(a.hostname);
  if (!a.ip.empty()) add_ip(a.ip);
  if (!a.mac.empty()) add_mac(a.mac);
}

std::string HostIdentity::primary() const {
  if (all_hosts) return "all-assets";
  if (!hostnames.empty()) return hostnames[0];
  if (!host_ids.empty()) return host_ids[0];
  if (!ips.empty()) return ips[0];
  return macs.empty() ? std::string() : macs[0];
}

std::string HostIdentity::display() const {
  if (all_hosts) return "all assets in the finding files";
  std::string s = primary(), extra;
  for (const auto* v : {&hostnames, &host_ids, &ips, &macs})
    for (const auto& x : *v)
      if (x != s) extra += (extra.empty() ? "" : ", ") + x;
  return extra.empty() ? s : s + " (" + extra + ")";
}

}  // namespace vigil::compliance

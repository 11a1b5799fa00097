// Who a host is, across producers: the sensor names assets by ip/mac/hostname, the scanner by
// hostname/host_id/ips. One rule (docs/findings-check.md, "Asset identity") decides whether
// a finding's asset is the host being assessed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding/finding.h"
#include "core/util/result.h"

namespace vigil::compliance {

struct HostIdentity {
  // No --host: the whole network seen in the finding files is the target (one verdict for
  // the set of assets; used for network baselines over a capture).
  bool all_hosts = true;
  std::vector<std::string> hostnames, host_ids, ips, macs;  // normalised (see .cpp)

  // "web1", "10.0.0.5", "00:11:22:33:44:55", "host_id:abc", comma-separated for several.
  static Result<HostIdentity> parse(std::string_view spec);
  void add_hostname(std::string_view h);
  void add_ip(std::string_view ip);
  void add_mac(std::string_view mac);
  void add_host_id(std::string_view id);
  bool matches(const core::Asset& a) const;
  // Widens the identity with the other keys of an asset that matched (scanner findings name
  // the host's addresses authoritatively; sensor assets only match, never widen).
  void absorb(const core::Asset& a);
  std::string display() const;  // "web1 (10.0.0.5, 00:11:...)" or "all assets"
  std::string primary() const;  // first hostname, else host_id, else ip, else mac
};

std::string normalize_mac(std::string_view mac);  // "" when not a MAC
std::string normalize_hostname(std::string_view h);

}  // namespace vigil::compliance

// The passive asset inventory record: one host seen on the wire, with the
// names, services and OS hints the sensor learned about it. One model for the
// sensor (`vigil sensor --assets`), the store (`vigil assets import|list`) and
// the reports; JSON Lines on disk, schema in docs/assets.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.h"
#include "core/util/time.h"

namespace vigil::core {

inline constexpr int kAssetSchemaVersion = 1;
// Import refuses records beyond these (a hostile file must not blow up a row).
inline constexpr std::size_t kMaxAssetHostnames = 64;
inline constexpr std::size_t kMaxAssetServices = 1024;
inline constexpr std::size_t kMaxAssetHints = 32;

struct AssetHostname {
  std::string name;                  // lower case, no trailing dot
  std::vector<std::string> sources;  // sorted: dhcp, dns, dns_ptr, http_host, tls_sni
};

struct AssetService {
  std::uint16_t port = 0;
  std::string transport;     // "tcp" or "udp"
  std::string protocol;      // analyser name (ssh, http, tls...), empty when unknown
  std::string software;      // product/version when a banner names one
  std::string banner;        // the server's own words: SSH id, Server header, greeting
  std::string cert_subject;  // TLS leaf certificate subject (TLS <= 1.2)
  Micros first_seen = 0, last_seen = 0;
};

struct AssetOsHint {
  std::string source;  // "ttl" or the banner it came from ("ssh_banner", ...)
  std::string value;   // "64", "Debian", ...
  std::string evidence;
};

struct AssetRecord {
  int schema_version = kAssetSchemaVersion;
  std::string tenant, sensor;
  std::string ip;   // canonical text (dotted quad / RFC 5952)
  std::string mac;  // lower-case colon hex; empty when not on the sensor's L2 segment
  std::vector<AssetHostname> hostnames;  // sorted by name
  std::vector<AssetService> services;    // sorted by (transport, port)
  std::vector<AssetOsHint> os_hints;     // sorted by (source, value)
  Micros first_seen = 0, last_seen = 0;
};

// Canonical text of an IPv4/IPv6 address ("FD99:0::1" -> "fd99::1"); empty if not one.
std::string canonical_ip(const std::string& s);

nlohmann::ordered_json to_json(const AssetRecord& a);  // fields in schema order
// Validates types, sizes and addresses; `where` prefixes nothing, the caller adds FILE:LINE.
Result<AssetRecord> asset_from_json(const nlohmann::json& j);

// Folds `from` into `into` (same tenant and ip), as the store's upsert does:
// names and their sources united, services united by (transport, port) with
// first_seen min / last_seen max, each text field taken from the record seen
// last (ties broken on the text, so equal times never depend on order), OS
// hints united by (source, value). Lists stay sorted and within the caps.
void merge_asset(AssetRecord& into, const AssetRecord& from);

}  // namespace vigil::core

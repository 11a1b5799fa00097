// TLS ClientHello / ServerHello fields and the fingerprints computed from them
// (JA3, JA3S, JA4). Hashes go through OpenSSL EVP.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sensor/common/reader.h"

namespace vigil::sensor::tls {

struct ClientHello {
  std::uint16_t version = 0;  // legacy_version
  std::vector<std::uint16_t> ciphers, extensions, groups, sig_algs, versions;
  std::vector<std::uint8_t> point_formats;
  std::vector<std::string> alpn;
  std::string sni;
  bool has_sni = false;
};

struct ServerHello {
  std::uint16_t version = 0;           // legacy_version
  std::uint16_t selected_version = 0;  // supported_versions extension (TLS 1.3)
  std::uint16_t cipher = 0;
  std::vector<std::uint16_t> extensions;
  std::string alpn;
};

bool parse_client_hello(Bytes body, ClientHello& out);
bool parse_server_hello(Bytes body, ServerHello& out);

bool is_grease(std::uint16_t v);
std::string version_name(std::uint16_t v);  // "TLS 1.2", "SSLv3", ...
std::string cipher_name(std::uint16_t id);  // IANA name via OpenSSL, or "0x...."

std::string ja3_string(const ClientHello& ch);
std::string ja3s_string(const ServerHello& sh);
std::string ja4(const ClientHello& ch, char transport = 't');
std::string md5_hex(const std::string& s);

}  // namespace vigil::sensor::tls

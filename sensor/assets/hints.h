// What a host's packets and banners say about it: initial-TTL buckets, OS and
// product names found in banners, host names cleaned for the inventory. One
// small table each, so a new product or OS is one line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::sensor::assets {

// The initial TTL a sender most likely used: the smallest of 32/64/128/255 not
// below `ttl` (hosts start at one of these; each router subtracts one).
std::uint8_t ttl_bucket(std::uint8_t ttl);
// True when `ttl` is itself an initial value: no router in between, so the
// frame's source MAC is the sender's own.
bool is_initial_ttl(std::uint8_t ttl);
// "Linux, macOS, BSD" for 64 etc.
std::string_view ttl_os_family(std::uint8_t bucket);

// An OS named in a banner ("Debian", "Ubuntu", "Windows"...), if any.
std::optional<std::string> banner_os(std::string_view banner);
// A product named in an FTP/SMTP greeting ("Postfix", "vsftpd"...), if any.
std::optional<std::string> banner_product(std::string_view banner);

// Lower-case DNS name without the trailing dot; nullopt when it is not a
// plausible host name (bad characters, an IP literal, or a label longer than
// 24 characters: generated names such as DNS-tunnel queries, not hosts).
std::optional<std::string> clean_hostname(std::string_view name);
// HTTP Host header value without the port; nullopt for IP literals.
std::optional<std::string> host_header_name(std::string_view host);
// "1.0.99.10.in-addr.arpa" -> "10.99.0.1"; ip6.arpa nibbles -> RFC 5952 text.
std::optional<std::string> reverse_name_ip(std::string_view name);

}  // namespace vigil::sensor::assets

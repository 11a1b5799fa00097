// SHA-256 through OpenSSL EVP (never hand-rolled). Hex output is lower case.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace vigil {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t len);
  void update(std::string_view s) { update(s.data(), s.size()); }
  // Finishes and returns the 64-char hex digest; the object is reset for reuse.
  std::string hex();
  // Same, into `out` (its capacity reused: no allocation per digest).
  void hex(std::string& out);
  // Finishes and writes the 32-byte digest; the object is reset for reuse.
  void digest(std::uint8_t out[32]);

 private:
  struct Deleter {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Deleter> ctx_;
};

std::string sha256_hex(std::string_view data);
// Same, into `out`, reusing one context per thread and `out`'s capacity.
void sha256_hex(std::string_view data, std::string& out);
std::string to_hex(std::span<const std::uint8_t> bytes);

}  // namespace vigil

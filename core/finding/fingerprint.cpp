// Finding identity: fingerprints, secret redaction and evidence excerpts.
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

#include "core/finding/finding.h"
#include "core/util/hash.h"

namespace vigil::core {

std::string Asset::identity() const {
  if (!host_id.empty()) return "host_id:" + host_id;
  if (!ip.empty()) return "ip:" + ip;
  if (!mac.empty()) {
    std::string m = mac;
    std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return std::tolower(c); });
    return "mac:" + m;
  }
  std::string h = hostname;
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::tolower(c); });
  return "hostname:" + h;
}

std::string fingerprint(const Finding& f) {
  return fingerprint(f, f.evidence);
}

std::string fingerprint(const Finding& f, const nlohmann::json& evidence) {
  // A JSON array is an unambiguous encoding (no separator games), and
  // nlohmann's object keys are sorted, so the key fields are canonical too.
  nlohmann::json key = nlohmann::json::object();
  for (const auto& field : f.fingerprint_fields) {
    auto it = evidence.find(field);
    key[field] = it != evidence.end() ? *it : nlohmann::json();
  }
  nlohmann::json canon =
      nlohmann::json::array({"vigil-finding-v1", f.tenant, f.asset.identity(), f.type, key});
  return sha256_hex(canon.dump());
}

namespace {

bool is_secret_key_lower(std::string_view l) {
  static constexpr std::string_view kWords[] = {"password", "passwd",      "passphrase",
                                                "secret",   "token",       "authorization",
                                                "cookie",   "private_key", "credential"};
  for (auto w : kWords)
    if (l.find(w) != std::string_view::npos) return true;
  return l == "pass" || l == "pwd";
}

}  // namespace

bool is_secret_key(std::string_view k) {
  // Lower-cased on the stack: this runs for every evidence key of an import.
  char buf[64];
  if (k.size() > sizeof buf) {
    std::string l(k);
    std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
    return is_secret_key_lower(l);
  }
  std::transform(k.begin(), k.end(), buf, [](unsigned char c) { return std::tolower(c); });
  return is_secret_key_lower(std::string_view(buf, k.size()));
}

void redact_secrets(nlohmann::json& evidence) {
  if (evidence.is_object()) {
    for (auto it = evidence.begin(); it != evidence.end(); ++it) {
      if (is_secret_key(it.key()) && !it.value().is_boolean() && !it.value().is_null())
        it.value() = "<redacted>";
      else
        redact_secrets(it.value());
    }
  } else if (evidence.is_array()) {
    for (auto& v : evidence) redact_secrets(v);
  }
}

nlohmann::json evidence_excerpt(std::string_view raw, std::size_t cap) {
  const std::size_t n = std::min(raw.size(), cap);
  std::string b64(4 * ((n + 2) / 3) + 1, '\0');
  const int len =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                      reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(n));
  b64.resize(len > 0 ? static_cast<std::size_t>(len) : 0);
  return {{"base64", b64}, {"size", raw.size()}, {"truncated", raw.size() > cap}};
}

}  // namespace vigil::core

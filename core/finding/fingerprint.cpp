// Finding identity: fingerprints, secret redaction and evidence excerpts.
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/finding/finding.h"
#include "core/util/hash.h"
#include "core/util/json_text.h"

namespace vigil::core {

std::string Asset::identity() const {
  std::string out;
  append_identity(out);
  return out;
}

void Asset::append_identity(std::string& out) const {
  auto lower = [&out](std::string_view s) {
    for (unsigned char c : s) out.push_back(static_cast<char>(std::tolower(c)));
  };
  if (!host_id.empty()) {
    out += "host_id:";
    out += host_id;
  } else if (!ip.empty()) {
    out += "ip:";
    out += ip;
  } else if (!mac.empty()) {
    out += "mac:";
    lower(mac);
  } else {
    out += "hostname:";
    lower(hostname);
  }
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

void fingerprint(const Finding& f, std::string_view key_fields_json, std::string& id) {
  // The bytes canon.dump() above gives: a compact array of JSON strings
  // (append_json_string writes what nlohmann writes for valid UTF-8) and the
  // key-fields object as given. One buffer per thread: this runs per finding.
  thread_local std::string canon;
  canon.assign("[\"vigil-finding-v1\",");
  append_json_string(canon, f.tenant);
  canon += ',';
  thread_local std::string identity;
  identity.clear();
  f.asset.append_identity(identity);
  append_json_string(canon, identity);
  canon += ',';
  append_json_string(canon, f.type);
  canon += ',';
  canon += key_fields_json;
  canon += ']';
  sha256_hex(canon, id);
}

namespace {

// `w` occurs in `s` at `i` (constant length: the compare is inlined).
template <std::size_t N>
bool at(std::string_view s, std::size_t i, const char (&w)[N]) {
  return i <= s.size() && s.size() - i >= N - 1 && std::memcmp(s.data() + i, w, N - 1) == 0;
}

// True when `l` contains password, passwd, passphrase, secret, token,
// authorization, cookie, private_key or credential, or is pass or pwd. One
// pass over the key, comparing only where a word's first letter stands: this
// runs for every evidence key of an import.
bool is_secret_key_lower(std::string_view l) {
  for (std::size_t i = 0; i < l.size(); ++i) {
    switch (l[i]) {
      case 'p':
        if (at(l, i, "pass") &&
            (at(l, i + 4, "word") || at(l, i + 4, "wd") || at(l, i + 4, "phrase")))
          return true;
        if (at(l, i, "private_key")) return true;
        break;
      case 's':
        if (at(l, i, "secret")) return true;
        break;
      case 't':
        if (at(l, i, "token")) return true;
        break;
      case 'a':
        if (at(l, i, "authorization")) return true;
        break;
      case 'c':
        if (at(l, i, "cookie") || at(l, i, "credential")) return true;
        break;
      default:
        break;
    }
  }
  return l == "pass" || l == "pwd";
}

}  // namespace

bool is_secret_key(std::string_view k) {
  // Lower-cased on the stack: this runs for every evidence key of an import.
  // ASCII only, which is what std::tolower does in the "C" locale Vigil runs in.
  auto lower = [](unsigned char c) { return char(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c); };
  char buf[64];
  if (k.size() > sizeof buf) {
    std::string l(k);
    std::transform(l.begin(), l.end(), l.begin(), lower);
    return is_secret_key_lower(l);
  }
  std::transform(k.begin(), k.end(), buf, lower);
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

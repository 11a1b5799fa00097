// Certificates seen on the wire (TLS <= 1.2; 1.3 encrypts them): validity
// judged against the PACKET's time (a capture replayed years later gives the
// same answer), self-signed leaf, weak keys, MD5/SHA-1 signatures, and a leaf
// that does not cover the SNI. Reported on the server, per certificate.
#include <algorithm>
#include <cctype>

#include <unordered_map>

#include "sensor/detect/detector.h"

namespace vigil::sensor::detect {

namespace {

using core::Severity;

const std::vector<std::string> kFp = {"port", "cert_sha256"};
const FindingKind kExpired{"net.tls.cert.expired",
                           Severity::medium,
                           "Server presented an expired certificate",
                           "The certificate's notAfter was before the time of the handshake.",
                           "T1557",
                           "3.10",
                           kFp};
const FindingKind kNotYet{"net.tls.cert.not_yet_valid",
                          Severity::medium,
                          "Server presented a certificate not yet valid",
                          "The certificate's notBefore was after the time of the handshake.",
                          "T1557",
                          "3.10",
                          kFp};
const FindingKind kSelf{"net.tls.cert.self_signed",
                        Severity::medium,
                        "Server presented a self-signed certificate",
                        "The server's own certificate is self-signed: clients cannot authenticate "
                        "the server and learn to click through warnings.",
                        "T1557",
                        "3.10",
                        kFp};
const FindingKind kWeakKey{"net.tls.cert.weak_key",
                           Severity::medium,
                           "Certificate with a weak public key",
                           "A certificate in the chain has an RSA/DSA key under 2048 bits or an "
                           "EC key under 224 bits.",
                           "T1557",
                           "3.10",
                           kFp};
const FindingKind kWeakSig{"net.tls.cert.weak_signature",
                           Severity::medium,
                           "Certificate signed with MD5 or SHA-1",
                           "A certificate in the chain is signed with a broken hash (MD5/SHA-1): "
                           "signatures can be forged by collision.",
                           "T1557",
                           "3.10",
                           kFp};
const FindingKind kName{"net.tls.cert.name_mismatch",
                        Severity::medium,
                        "Certificate does not match the requested server name",
                        "The client asked for a name (SNI) the leaf certificate does not cover.",
                        "T1557",
                        "3.10",
                        {"port", "cert_sha256", "sni"}};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// RFC 6125: a wildcard covers exactly one left-most label.
bool name_covers(std::string pattern, const std::string& host) {
  pattern = lower(pattern);
  if (pattern == host) return true;
  if (!pattern.starts_with("*.")) return false;
  auto dot = host.find('.');
  return dot != std::string::npos && dot > 0 && host.substr(dot) == pattern.substr(1);
}

bool leaf_covers(const Json& cert, const std::string& sni) {
  const std::string host = lower(sni);
  bool any_dns = false;
  if (auto s = cert.find("sans"); s != cert.end() && s->is_array()) {
    for (const auto& san : *s) {
      std::string v = san.is_string() ? san.get<std::string>() : "";
      if (!v.starts_with("DNS:")) continue;
      any_dns = true;
      if (name_covers(v.substr(4), host)) return true;
    }
  }
  if (any_dns) return false;
  // No DNS SANs: the subject CN (legacy rule, RFC 6125 6.4.4).
  std::string subj = cert.value("subject", "");
  for (std::size_t p = 0; (p = subj.find("CN=", p)) != std::string::npos; p += 3) {
    if (p && subj[p - 1] != ',' && subj[p - 1] != ' ') continue;
    std::string cn = subj.substr(p + 3, subj.find(',', p) - (p + 3));
    if (name_covers(cn, host)) return true;
  }
  return false;
}

class TlsCert final : public Detector {
 public:
  void event(const Json& ev, FindingSet& out) override {
    if (str_at(ev, "event_type") != "tls") return;
    auto certs = ev["tls"].find("certificates");
    if (certs == ev["tls"].end() || !certs->is_array() || certs->empty()) return;
    const std::int64_t ts = event_time_us(ev);
    const std::string server = str_at(ev, "dest_ip"), sni = str_at(ev, "tls", "sni");
    for (std::size_t i = 0; i < certs->size(); ++i) {
      const Json& c = (*certs)[i];
      if (!c.is_object()) continue;
      auto e = [&]() {
        nlohmann::json j = flow_evidence(ev);
        j["port"] = ev.value("dest_port", 0);
        j["sni"] = sni;
        j["chain_position"] = i;
        for (const char* k : {"subject", "issuer", "serial", "not_before", "not_after", "key_type",
                              "signature_algorithm"})
          j[k] = c.value(k, "");
        j["key_bits"] = c.value("key_bits", 0);
        j["cert_sha256"] = c.value("sha256", "");
        return j;
      };
      // The same certificate in flow after flow (one server, many clients)
      // only counts the sighting: no evidence is built for it again.
      const std::string sha = c.value("sha256", "");
      auto add = [&](const FindingKind& k) {
        std::string key;
        if (!sha.empty()) {
          key.append(k.type).append(1, '|').append(server).append(1, '|').append(sha);
          key.append(1, '|').append(std::to_string(ev.value("dest_port", 0))).append(1, '|');
          if (&k == &kName) key.append(sni);
          auto known = ids_.find(key);
          if (known != ids_.end() && out.add_again(known->second, ev, ts)) return;
        }
        std::string id = out.add(make_finding(k, server, e(), ts));
        if (key.empty() || id.empty()) return;
        if (ids_.size() >= kMaxIds) ids_.clear();
        ids_[key] = std::move(id);
      };
      auto nb = parse_rfc3339(c.value("not_before", "")),
           na = parse_rfc3339(c.value("not_after", ""));
      if (na && ts > *na) add(kExpired);
      if (nb && ts < *nb) add(kNotYet);
      const bool self = c.value("self_signed", false);
      if (i == 0 && self) add(kSelf);
      const std::string kt = c.value("key_type", "");
      const int bits = c.value("key_bits", 0);
      if (bits > 0 && (((kt == "RSA" || kt == "DSA") && bits < 2048) || (kt == "EC" && bits < 224)))
        add(kWeakKey);
      // A trust anchor's own signature is never checked, so only issued certificates count.
      const std::string sig = lower(c.value("signature_algorithm", ""));
      if (!self && (sig.find("md5") != std::string::npos || sig.find("sha1") != std::string::npos))
        add(kWeakSig);
      if (i == 0 && !sni.empty() && !leaf_covers(c, sni)) add(kName);
    }
  }

 private:
  // (finding type, server, certificate, port, SNI) -> finding id, for add_again().
  static constexpr std::size_t kMaxIds = 65536;
  std::unordered_map<std::string, std::string> ids_;
};

std::unique_ptr<Detector> make(const DetectConfig&) {
  return std::make_unique<TlsCert>();
}

}  // namespace

extern const DetectorInfo kDetector_tls_cert{"tls_cert", make};

}  // namespace vigil::sensor::detect

// What a TLS handshake negotiated: a legacy protocol version, a weak cipher
// suite, or a key exchange without forward secrecy. Judged on the server's
// choice (ServerHello), reported on the server per port and version/suite.
//
// Definitions (docs/detections.md): weak = NULL, EXPORT, anon, RC4, DES, 3DES
// or IDEA suites; no forward secrecy = static RSA / PSK key exchange
// (TLS_RSA_*, TLS_PSK_*, TLS_RSA_PSK_*). AES-CBC with SHA-1 HMAC is neither.
#include "sensor/detect/detector.h"

namespace vigil::sensor::detect {

namespace {

using core::Severity;

const FindingKind kLegacy{"net.tls.legacy_version",
                          Severity::medium,
                          "Legacy TLS/SSL version negotiated",
                          "The server agreed to SSL 3.0, TLS 1.0 or TLS 1.1, which lack modern "
                          "integrity protection and are deprecated (RFC 8996).",
                          "T1557",
                          "3.10",
                          {"port", "version"}};
const FindingKind kWeak{"net.tls.weak_cipher",
                        Severity::high,
                        "Weak TLS cipher suite negotiated",
                        "The server chose a NULL, EXPORT, anonymous, RC4, DES or 3DES suite: the "
                        "traffic can be read or tampered with.",
                        "T1557",
                        "3.10",
                        {"port", "cipher_suite"}};
const FindingKind kNoFs{"net.tls.no_forward_secrecy",
                        Severity::low,
                        "TLS key exchange without forward secrecy",
                        "The session used static RSA (or PSK) key exchange: whoever obtains the "
                        "server's private key later can decrypt recorded traffic.",
                        "T1557",
                        "3.10",
                        {"port", "cipher_suite"}};

bool has(const std::string& s, const char* part) {
  return s.find(part) != std::string::npos;
}

bool weak_suite(const std::string& c) {
  return has(c, "_NULL_") || c.ends_with("_NULL") || has(c, "EXPORT") || has(c, "_anon_") ||
         has(c, "_RC4_") || has(c, "_DES_") || has(c, "DES40") || has(c, "3DES") ||
         has(c, "_IDEA_");
}

bool no_forward_secrecy(const std::string& c) {
  return c.starts_with("TLS_RSA_") || c.starts_with("TLS_PSK_") || c.starts_with("SSL_RSA_");
}

class TlsSession final : public Detector {
 public:
  void event(const Json& ev, FindingSet& out) override {
    if (str_at(ev, "event_type") != "tls") return;
    const std::string version = str_at(ev, "tls", "version");
    const std::string suite = str_at(ev, "tls", "cipher_suite");
    std::int64_t ts = event_time_us(ev);
    auto base = [&]() {
      nlohmann::json e = flow_evidence(ev);
      e["port"] = ev.value("dest_port", 0);
      e["version"] = version;
      e["cipher_suite"] = suite;
      e["cipher_id"] = str_at(ev, "tls", "cipher_id");
      e["sni"] = str_at(ev, "tls", "sni");
      return e;
    };
    const std::string server = str_at(ev, "dest_ip");
    if (version == "SSLv3" || version == "SSLv2" || version == "TLS 1.0" || version == "TLS 1.1")
      out.add(make_finding(kLegacy, server, base(), ts));
    if (suite.empty()) return;
    if (weak_suite(suite)) out.add(make_finding(kWeak, server, base(), ts));
    if (no_forward_secrecy(suite)) out.add(make_finding(kNoFs, server, base(), ts));
  }
};

std::unique_ptr<Detector> make(const DetectConfig&) {
  return std::make_unique<TlsSession>();
}

}  // namespace

extern const DetectorInfo kDetector_tls_session{"tls_session", make};

}  // namespace vigil::sensor::detect

// TLS: record and handshake reassembly per direction until encryption starts.
// One `tls` event per session with versions, SNI, ALPN, ciphers, JA3/JA3S/JA4
// and, for TLS <= 1.2, the server certificate chain.
#include "sensor/protocols/analyzer.h"
#include "sensor/protocols/tls/certificate.h"
#include "sensor/protocols/tls/hello.h"

namespace vigil::sensor {

namespace {

constexpr std::size_t kMaxHandshake = 256 * 1024;

class TlsAnalyzer : public Analyzer {
 public:
  using Analyzer::Analyzer;

  void on_data(Dir dir, Bytes data, std::int64_t ts) override {
    if (!ts_) ts_ = ts;
    Side& s = side_[dir];
    if (s.done) return;
    s.rec.append(as_sv(data));
    while (!s.done && s.rec.size() >= 5) {
      Reader r(as_bytes(s.rec));
      std::uint8_t type = r.u8();
      std::uint16_t ver = r.u16();
      std::uint16_t len = r.u16();
      if (type < 20 || type > 24 || (ver >> 8) != 3 || len > 18432) {
        counters().inc(Counter::tls_malformed);
        s.done = true;
        break;
      }
      if (s.rec.size() < 5u + len) break;
      std::string_view body = std::string_view(s.rec).substr(5, len);
      if (!record_version_) record_version_ = ver;
      if (type == 22) {
        s.hs.append(body);
        handshake(dir, s);
      } else if (type == 20 || type == 23) {
        s.done = true;  // from here on the direction is encrypted
        if (dir == kToClient) finish();
      }
      s.rec.erase(0, 5u + len);
    }
    if (s.rec.size() > kMaxHandshake || s.hs.size() > kMaxHandshake) {
      counters().inc(Counter::app_buffer_full);
      s.done = true;
    }
    if (side_[0].done && side_[1].done) finish();
  }

  void on_gap(Dir dir, std::uint64_t) override { side_[dir].done = true; }
  void on_end(std::int64_t) override { finish(); }

 private:
  struct Side {
    std::string rec, hs;
    bool done = false;
  };

  void handshake(Dir dir, Side& s) {
    while (s.hs.size() >= 4) {
      Reader r(as_bytes(s.hs));
      std::uint8_t type = r.u8();
      std::uint32_t len = r.u24();
      if (len > kMaxHandshake) {
        counters().inc(Counter::tls_malformed);
        s.done = true;
        return;
      }
      if (s.hs.size() < 4 + len) return;
      Bytes body = as_bytes(std::string_view(s.hs).substr(4, len));
      if (type == 1 && dir == kToServer && !have_ch_) {
        have_ch_ = true;
        if (!tls::parse_client_hello(body, ch_)) counters().inc(Counter::tls_malformed);
      } else if (type == 2 && dir == kToClient && !have_sh_) {
        have_sh_ = true;
        if (!tls::parse_server_hello(body, sh_)) counters().inc(Counter::tls_malformed);
        if (sh_.selected_version == 0x0304) {
          s.done = true;  // TLS 1.3: everything after ServerHello is encrypted
          finish();
          return;
        }
      } else if (type == 11 && dir == kToClient && certs_.empty()) {
        certificates(body);
      } else if (type == 14 && dir == kToClient) {  // ServerHelloDone
        finish();
      }
      s.hs.erase(0, 4 + len);
    }
  }

  void certificates(Bytes body) {
    Reader r(body);
    Reader list = r.sub(r.u24());
    while (list.remaining() && certs_.size() < 10) {
      Bytes der = list.bytes(list.u24());
      if (!list.ok()) break;
      Json c;
      if (tls::describe_certificate(der, c))
        certs_.push_back(std::move(c));
      else
        counters().inc(Counter::tls_cert_malformed);
    }
    if (!list.ok() || !r.ok()) counters().inc(Counter::tls_cert_malformed);
  }

  void finish() {
    if (emitted_ || (!have_ch_ && !have_sh_)) return;
    emitted_ = true;
    Json ev = out_.begin(flow_, "tls", ts_);
    Json t;
    std::uint16_t chosen = sh_.selected_version ? sh_.selected_version : sh_.version;
    if (have_sh_) t["version"] = tls::version_name(chosen);
    if (have_ch_) {
      if (ch_.has_sni) t["sni"] = ch_.sni;
      t["client_version"] = tls::version_name(ch_.version);
      Json offered = Json::array();
      for (std::uint16_t v : ch_.versions)
        if (!tls::is_grease(v)) offered.push_back(tls::version_name(v));
      if (offered.empty()) offered.push_back(tls::version_name(ch_.version));
      t["client_versions"] = std::move(offered);
      if (!ch_.alpn.empty()) t["client_alpn"] = ch_.alpn;
      Json ciphers = Json::array();
      for (std::uint16_t c : ch_.ciphers)
        if (!tls::is_grease(c)) ciphers.push_back(tls::cipher_name(c));
      t["client_ciphers"] = std::move(ciphers);
      std::string j3 = tls::ja3_string(ch_);
      t["ja3"] = {{"hash", tls::md5_hex(j3)}, {"string", j3}};
      t["ja4"] = tls::ja4(ch_);
    }
    if (have_sh_) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%04x", sh_.cipher);
      t["cipher_suite"] = tls::cipher_name(sh_.cipher);
      t["cipher_id"] = hex;
      if (!sh_.alpn.empty()) t["server_alpn"] = sh_.alpn;
      std::string j3s = tls::ja3s_string(sh_);
      t["ja3s"] = {{"hash", tls::md5_hex(j3s)}, {"string", j3s}};
    }
    if (!certs_.empty()) {
      const Json& leaf = certs_.front();
      t["subject"] = leaf["subject"];
      t["issuerdn"] = leaf["issuer"];
      t["serial"] = leaf["serial"];
      t["fingerprint_sha256"] = leaf["sha256"];
      t["notbefore"] = leaf["not_before"];
      t["notafter"] = leaf["not_after"];
      t["certificates"] = certs_;
    }
    ev["tls"] = std::move(t);  // moved, not copied: this is per TLS session
    out_.emit(ev);
  }

  Side side_[2];
  tls::ClientHello ch_;
  tls::ServerHello sh_;
  bool have_ch_ = false, have_sh_ = false, emitted_ = false;
  std::vector<Json> certs_;
  std::uint16_t record_version_ = 0;
  std::int64_t ts_ = 0;
};

bool probe(const ProbeInput& in) {
  Bytes d = in.data;
  // A handshake record (22), SSL 3.0 .. TLS 1.3 record version, then a
  // ClientHello (1) or ServerHello (2).
  return d.size() >= 6 && d[0] == 22 && d[1] == 3 && d[2] <= 4 && (d[5] == 1 || d[5] == 2);
}

std::unique_ptr<Analyzer> make(Flow& f, Emitter& e) {
  return std::make_unique<TlsAnalyzer>(f, e);
}

}  // namespace

extern const AnalyzerInfo kAnalyzer_tls{"tls", true, false, probe, make};

}  // namespace vigil::sensor

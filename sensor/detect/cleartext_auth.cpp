// Credentials sent in the clear, from the analysers' events: FTP USER/PASS,
// Telnet login, HTTP Basic on plain HTTP, SMTP AUTH PLAIN/LOGIN without
// STARTTLS. The asset is the server that accepts such logins; the evidence
// names the user, never the password (the analysers never extract it).
#include "sensor/detect/detector.h"

namespace vigil::sensor::detect {

namespace {

using core::Severity;

const std::vector<std::string> kFp = {"port", "user"};
const FindingKind kFtp{"net.auth.cleartext.ftp",
                       Severity::high,
                       "FTP login sent in clear text",
                       "An FTP client sent USER and PASS without TLS: anyone on the path can read "
                       "the password.",
                       "T1040",
                       "3.10",
                       kFp};
const FindingKind kTelnet{"net.auth.cleartext.telnet",
                          Severity::high,
                          "Telnet login sent in clear text",
                          "A password was typed at a Telnet login prompt: the whole session, "
                          "password included, crosses the network unencrypted.",
                          "T1040",
                          "3.10",
                          kFp};
const FindingKind kHttp{
    "net.auth.cleartext.http_basic",
    Severity::high,
    "HTTP Basic credentials sent over plain HTTP",
    "An HTTP request carried Authorization: Basic outside TLS; Basic is base64, "
    "so the password is readable by anyone on the path.",
    "T1040",
    "3.10",
    kFp};
const FindingKind kSmtp{"net.auth.cleartext.smtp",
                        Severity::medium,
                        "SMTP AUTH without TLS",
                        "An SMTP client authenticated with AUTH PLAIN/LOGIN on a session that was "
                        "not protected by STARTTLS.",
                        "T1040",
                        "3.10",
                        kFp};

class CleartextAuth final : public Detector {
 public:
  void event(const Json& ev, FindingSet& out) override {
    const std::string type = str_at(ev, "event_type");
    if (type == "ftp") {
      const Json& o = ev["ftp"];
      if (str_at(ev, "ftp", "command") != "PASS" || !o.value("password_present", false)) return;
      nlohmann::json e = base(ev, str_at(ev, "ftp", "user"));
      auto codes = o.find("completion_code");
      if (codes != o.end() && codes->is_array() && !codes->empty())
        e["login_succeeded"] = (*codes)[0].get<int>() == 230;
      report(kFtp, ev, std::move(e), out);
    } else if (type == "telnet") {
      if (!ev["telnet"].value("password_present", false)) return;
      report(kTelnet, ev, base(ev, str_at(ev, "telnet", "user")), out);
    } else if (type == "http") {
      auto a = ev["http"].find("authorization");
      if (a == ev["http"].end() || !a->is_object() || a->value("scheme", "") != "Basic") return;
      nlohmann::json e = base(ev, a->value("user", ""));
      e["http_status"] = ev["http"].value("status", 0);
      e["url"] = ev["http"].value("url", "");
      e["hostname"] = ev["http"].value("hostname", "");
      report(kHttp, ev, std::move(e), out);
    } else if (type == "smtp") {
      const Json& s = ev["smtp"];
      auto a = s.find("auth");
      if (a == s.end() || !a->is_object() || s.value("starttls_used", false)) return;
      std::string mech = a->value("mechanism", "");
      if (mech != "PLAIN" && mech != "LOGIN") return;
      nlohmann::json e = base(ev, a->value("user", ""));
      e["mechanism"] = mech;
      e["result"] = a->value("result", "");
      e["starttls_offered"] = s.value("starttls_offered", false);
      report(kSmtp, ev, std::move(e), out);
    }
  }

 private:
  static nlohmann::json base(const Json& ev, const std::string& user) {
    nlohmann::json e = flow_evidence(ev);
    e["port"] = ev.value("dest_port", 0);
    e["user"] = user;
    e["password_present"] = true;
    return e;
  }
  static void report(const FindingKind& k, const Json& ev, nlohmann::json e, FindingSet& out) {
    out.add(make_finding(k, str_at(ev, "dest_ip"), std::move(e), event_time_us(ev)));
  }
};

std::unique_ptr<Detector> make(const DetectConfig&) {
  return std::make_unique<CleartextAuth>();
}

}  // namespace

extern const DetectorInfo kDetector_cleartext_auth{"cleartext_auth", make};

}  // namespace vigil::sensor::detect

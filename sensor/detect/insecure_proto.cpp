// Insecure remote-access and file-transfer protocols in use: every Telnet or
// plain FTP control session (data both ways), reported on the server once per
// port (count = sessions), whether or not a login was seen.
#include "sensor/detect/detector.h"

namespace vigil::sensor::detect {

namespace {

using core::Severity;

const FindingKind kTelnet{"net.proto.insecure.telnet",
                          Severity::medium,
                          "Telnet service in use",
                          "A Telnet session was seen. Telnet has no encryption or server "
                          "authentication; use SSH.",
                          "T1021",
                          "4.8",
                          {"port"}};
const FindingKind kFtp{"net.proto.insecure.ftp",
                       Severity::medium,
                       "Plain FTP service in use",
                       "A plain FTP control session was seen. FTP sends commands, credentials and "
                       "files unencrypted; use SFTP or FTPS.",
                       "T1040",
                       "4.8",
                       {"port"}};

class InsecureProto final : public Detector {
 public:
  void flow_end(const Flow& f, FindingSet& out) override {
    const FindingKind* k = f.app_proto == "telnet" ? &kTelnet
                           : f.app_proto == "ftp"  ? &kFtp
                                                   : nullptr;
    // Both sides must have spoken: a connect scan that got a banner is no session.
    if (!k || !f.stream[kToServer].delivered || !f.stream[kToClient].delivered) return;
    nlohmann::json e = flow_evidence(f, f.start_us);
    e["port"] = f.sport;
    e["bytes_toserver"] = f.bytes[0];
    e["bytes_toclient"] = f.bytes[1];
    core::Finding fd = make_finding(*k, f.srv.str(), std::move(e), f.start_us);
    fd.last_seen = f.last_us;
    out.add(std::move(fd));
  }
};

std::unique_ptr<Detector> make(const DetectConfig&) {
  return std::make_unique<InsecureProto>();
}

}  // namespace

extern const DetectorInfo kDetector_insecure_proto{"insecure_proto", make};

}  // namespace vigil::sensor::detect

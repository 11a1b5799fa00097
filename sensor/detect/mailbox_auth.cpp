// POP3 and IMAP logins in the clear. There is no POP3/IMAP analyser, so this
// reads the client's first bytes itself: a flow is a mailbox session when the
// server port is 110/143 or the server greets with "+OK" / "* OK". Only the
// user name is kept (POP3 USER, IMAP LOGIN's first argument); STLS/STARTTLS
// ends the inspection. At most kInspect client bytes per flow are looked at.
#include <cctype>
#include <unordered_map>

#include "sensor/detect/detector.h"

namespace vigil::sensor::detect {

namespace {

using core::Severity;

const std::vector<std::string> kFp = {"port", "user"};
const FindingKind kPop3{"net.auth.cleartext.pop3",
                        Severity::medium,
                        "POP3 login sent in clear text",
                        "A POP3 client sent USER/PASS (or AUTH) without TLS.",
                        "T1040",
                        "3.10",
                        kFp};
const FindingKind kImap{"net.auth.cleartext.imap",
                        Severity::medium,
                        "IMAP login sent in clear text",
                        "An IMAP client sent LOGIN (or AUTHENTICATE PLAIN) without TLS.",
                        "T1040",
                        "3.10",
                        kFp};

constexpr std::size_t kInspect = 4096, kMaxLine = 512;

struct Session {
  const FindingKind* kind = nullptr;
  std::string line, user;
  std::size_t seen = 0;
  bool done = false;
};

std::string word(const std::string& s, std::size_t n) {  // n-th space-separated word
  std::size_t p = 0;
  for (std::size_t i = 0;; ++i) {
    while (p < s.size() && s[p] == ' ') ++p;
    std::size_t q = s.find(' ', p);
    if (q == std::string::npos) q = s.size();
    if (i == n) return s.substr(p, q - p);
    if (q >= s.size()) return {};
    p = q;
  }
}

std::string upper(std::string s) {
  for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

class MailboxAuth final : public Detector {
 public:
  void stream_data(const Flow& f, Dir d, Bytes data, std::uint64_t offset, std::int64_t ts_us,
                   FindingSet& out) override {
    if (f.proto != kProtoTCP) return;
    auto it = flows_.find(f.id);
    if (it == flows_.end()) {
      if (offset != 0) return;
      const FindingKind* k = nullptr;
      std::string_view head(reinterpret_cast<const char*>(data.data()),
                            std::min<std::size_t>(data.size(), 4));
      if (f.sport == 110 || (d == kToClient && head.starts_with("+OK"))) k = &kPop3;
      if (f.sport == 143 || (d == kToClient && head.starts_with("* OK"))) k = &kImap;
      if (!k) return;
      it = flows_.emplace(f.id, Session{k}).first;
    }
    Session& s = it->second;
    if (d != kToServer || s.done) return;
    for (std::uint8_t c : data) {
      if (++s.seen > kInspect) {
        s.done = true;
        return;
      }
      if (c == '\n') {
        line(f, s, ts_us, out);
        s.line.clear();
        if (s.done) return;
      } else if (c != '\r' && s.line.size() < kMaxLine) {
        s.line += char(c);
      }
    }
  }

  void flow_end(const Flow& f, FindingSet&) override { flows_.erase(f.id); }

 private:
  void line(const Flow& f, Session& s, std::int64_t ts_us, FindingSet& out) {
    const bool pop3 = s.kind == &kPop3;
    const std::string cmd = upper(word(s.line, pop3 ? 0 : 1));
    if (cmd == "STLS" || cmd == "STARTTLS") {
      s.done = true;
      return;
    }
    std::string method;
    if (pop3 && cmd == "USER") {
      s.user = word(s.line, 1);
      return;
    }
    if (pop3 && cmd == "PASS") method = "USER/PASS";
    if (pop3 && cmd == "AUTH") method = "AUTH " + upper(word(s.line, 1));
    if (!pop3 && cmd == "LOGIN") {
      s.user = word(s.line, 2);
      if (s.user.size() >= 2 && s.user.front() == '"' && s.user.back() == '"')
        s.user = s.user.substr(1, s.user.size() - 2);
      method = "LOGIN";
    }
    if (!pop3 && cmd == "AUTHENTICATE") method = "AUTHENTICATE " + upper(word(s.line, 2));
    if (method.empty() || method.ends_with("CRAM-MD5") || method.ends_with("GSSAPI")) return;
    nlohmann::json e = flow_evidence(f, ts_us);
    e["port"] = f.sport;
    e["user"] = s.user;
    e["method"] = method;
    e["password_present"] = true;
    out.add(make_finding(*s.kind, f.srv.str(), std::move(e), ts_us));
    s.done = true;
  }

  std::unordered_map<std::uint64_t, Session> flows_;
};

std::unique_ptr<Detector> make(const DetectConfig&) {
  return std::make_unique<MailboxAuth>();
}

}  // namespace

extern const DetectorInfo kDetector_mailbox_auth{"mailbox_auth", make};

}  // namespace vigil::sensor::detect

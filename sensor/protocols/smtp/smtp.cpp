// SMTP session summary: greeting, EHLO name, STARTTLS offered/used, AUTH
// mechanism and user (PLAIN/LOGIN decoded for the user only, password never
// kept), MAIL FROM / RCPT TO domains. One `smtp` event per session.
#include <algorithm>

#include "sensor/protocols/analyzer.h"
#include "sensor/protocols/common/line_buffer.h"

namespace vigil::sensor {

namespace {

std::string domain_of(std::string_view addr) {
  std::size_t at = addr.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string_view d = addr.substr(at + 1);
  std::size_t end = d.find_first_of("> ");
  return clean_text(d.substr(0, end), 255);
}

class SmtpAnalyzer : public Analyzer {
 public:
  using Analyzer::Analyzer;

  void on_data(Dir dir, Bytes data, std::int64_t ts) override {
    if (!ts_) ts_ = ts;
    if (encrypted_) return;
    lines_[dir].feed(data, counters(), [&](std::string_view line) {
      if (dir == kToServer)
        client(line);
      else
        server(line);
      return !encrypted_;
    });
  }
  void on_gap(Dir dir, std::uint64_t) override { lines_[dir].reset(); }
  void on_end(std::int64_t) override { emit(); }

 private:
  void client(std::string_view line) {
    if (in_data_) {
      if (line == ".") in_data_ = false;
      return;
    }
    if (auth_step_ > 0) {  // AUTH LOGIN continuation: user, then password
      if (auth_step_ == 1)
        user_ = clean_text(base64_decode(line), 256);
      else
        password_present_ = !line.empty();
      auth_step_ = auth_step_ == 1 ? 2 : 0;
      return;
    }
    if (istarts_with(line, "EHLO ") || istarts_with(line, "HELO ")) {
      helo_ = clean_text(trim(line.substr(5)), 255);
    } else if (istarts_with(line, "AUTH ")) {
      std::string_view rest = trim(line.substr(5));
      std::size_t sp = rest.find(' ');
      auth_mech_ = clean_text(rest.substr(0, sp), 32);
      for (char& c : auth_mech_)
        if (c >= 'a' && c <= 'z') c = char(c - 32);
      std::string_view initial = sp == std::string_view::npos ? "" : trim(rest.substr(sp + 1));
      if (auth_mech_ == "PLAIN" && !initial.empty()) {
        // authzid \0 authcid \0 passwd: report authcid, note the password.
        std::string dec = base64_decode(initial);
        std::size_t a = dec.find('\0');
        std::size_t b = a == std::string::npos ? a : dec.find('\0', a + 1);
        if (b != std::string::npos) {
          user_ = clean_text(std::string_view(dec).substr(a + 1, b - a - 1), 256);
          password_present_ = b + 1 < dec.size();
        }
      } else if (auth_mech_ == "LOGIN") {
        if (!initial.empty()) {
          user_ = clean_text(base64_decode(initial), 256);
          auth_step_ = 2;
        } else {
          auth_step_ = 1;
        }
      }
    } else if (istarts_with(line, "MAIL FROM:")) {
      std::string d = domain_of(line.substr(10));
      if (mail_from_.empty()) mail_from_ = d;
      ++messages_;
    } else if (istarts_with(line, "RCPT TO:")) {
      std::string d = domain_of(line.substr(8));
      if (!d.empty() && rcpt_.size() < 64 &&
          std::find(rcpt_.begin(), rcpt_.end(), d) == rcpt_.end())
        rcpt_.push_back(d);
    } else if (iequals(trim(line), "DATA")) {
      in_data_ = true;  // server 354 confirms; lines until "." are the message
    } else if (iequals(trim(line), "STARTTLS")) {
      starttls_cmd_ = true;
    }
  }

  void server(std::string_view line) {
    if (banner_.empty() && line.starts_with("220"))
      banner_ = clean_text(line.substr(std::min<std::size_t>(4, line.size())), 256);
    if (line.size() >= 4 && line.starts_with("250") && istarts_with(line.substr(4), "STARTTLS"))
      starttls_offered_ = true;
    if (line.starts_with("235")) auth_ok_ = true;
    if (line.starts_with("535")) auth_failed_ = true;
    if (starttls_cmd_ && line.starts_with("220 ")) {
      starttls_used_ = true;
      encrypted_ = true;
    }
    if (line.starts_with("354")) in_data_ = true;
  }

  void emit() {
    if (emitted_) return;
    emitted_ = true;
    Json ev = out_.begin(flow_, "smtp", ts_);
    Json s;
    if (!banner_.empty()) s["banner"] = banner_;
    if (!helo_.empty()) s["helo"] = helo_;
    s["starttls_offered"] = starttls_offered_;
    s["starttls_used"] = starttls_used_;
    if (!auth_mech_.empty()) {
      Json a{{"mechanism", auth_mech_}};
      if (!user_.empty()) a["user"] = user_;
      a["password_present"] = password_present_;
      if (auth_ok_)
        a["result"] = "success";
      else if (auth_failed_)
        a["result"] = "failure";
      s["auth"] = a;
    }
    if (!mail_from_.empty()) s["mail_from_domain"] = mail_from_;
    if (!rcpt_.empty()) s["rcpt_to_domains"] = rcpt_;
    s["messages"] = messages_;
    ev["smtp"] = std::move(s);
    out_.emit(ev);
  }

  LineBuffer lines_[2]{LineBuffer(4096), LineBuffer(4096)};
  std::string banner_, helo_, auth_mech_, user_, mail_from_;
  std::vector<std::string> rcpt_;
  bool starttls_offered_ = false, starttls_used_ = false, starttls_cmd_ = false;
  bool password_present_ = false, auth_ok_ = false, auth_failed_ = false;
  bool in_data_ = false, encrypted_ = false, emitted_ = false;
  int auth_step_ = 0;
  int messages_ = 0;
  std::int64_t ts_ = 0;
};

bool probe(const ProbeInput& in) {
  std::string_view s = as_sv(in.data);
  if (in.dir == kToClient)
    return s.starts_with("220") &&
           (s.find("SMTP") != std::string_view::npos || s.find("smtp") != std::string_view::npos);
  return (istarts_with(s, "EHLO ") || istarts_with(s, "HELO ")) &&
         (in.server_port == 25 || in.server_port == 587 || in.server_port == 2525);
}

std::unique_ptr<Analyzer> make(Flow& f, Emitter& e) {
  return std::make_unique<SmtpAnalyzer>(f, e);
}

}  // namespace

extern const AnalyzerInfo kAnalyzer_smtp{"smtp", true, false, probe, make};

}  // namespace vigil::sensor

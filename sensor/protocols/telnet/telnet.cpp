// Telnet: option negotiation (IAC sequences) is stripped from both directions;
// the server's text gives the prompts, the client's keystrokes (often one per
// segment in character mode) are assembled into lines. After a "login:" prompt
// the line is the user name; after "Password:" only its presence is recorded.
#include "sensor/protocols/analyzer.h"
#include "sensor/protocols/common/line_buffer.h"

namespace vigil::sensor {

namespace {

constexpr std::uint8_t IAC = 255, SB = 250, SE = 240;

class TelnetAnalyzer : public Analyzer {
 public:
  using Analyzer::Analyzer;

  void on_data(Dir dir, Bytes data, std::int64_t ts) override {
    if (!ts_) ts_ = ts;
    for (std::uint8_t b : data) {
      // Telnet command state machine, per direction (RFC 854/855).
      std::uint8_t& st = iac_[dir];
      if (st == 1) {  // after IAC
        if (b == IAC) {
          st = 0;
          text(dir, b);
        } else if (b == SB) {
          st = 3;
        } else if (b >= 251 && b <= 254) {
          st = 2;  // WILL/WONT/DO/DONT + option
          ++negotiations_;
        } else {
          st = 0;
        }
        continue;
      }
      if (st == 2) {
        st = 0;
        continue;
      }
      if (st == 3) {  // inside subnegotiation until IAC SE
        if (b == IAC) st = 4;
        continue;
      }
      if (st == 4) {
        st = b == SE ? 0 : 3;
        continue;
      }
      if (b == IAC) {
        st = 1;
        continue;
      }
      text(dir, b);
    }
  }
  void on_gap(Dir dir, std::uint64_t) override { iac_[dir] = 0; }
  void on_end(std::int64_t) override { emit(); }

 private:
  enum Mode { kCommand, kUser, kPassword };

  void text(Dir dir, std::uint8_t b) {
    if (dir == kToClient) {
      if (b == '\r' || b == '\n') {
        if (!server_line_.empty()) last_server_line_ = server_line_;
        server_line_.clear();
        return;
      }
      if (server_line_.size() < 256 && b >= 0x20 && b < 0x7f) server_line_.push_back(char(b));
      if (banner_.empty() && server_line_.size() >= 256) banner_ = server_line_;
      return;
    }
    if (b == '\r' || b == '\n' || b == 0) {
      if (!line_started_) return;
      line_done();
      return;
    }
    if (!line_started_) {
      line_started_ = true;
      std::string_view prompt = trim(server_line_);
      if (prompt.ends_with("login:") || prompt.ends_with("Username:") ||
          prompt.ends_with("username:")) {
        mode_ = kUser;
        if (login_prompt_.empty()) login_prompt_ = clean_text(prompt, 128);
      } else if (prompt.ends_with("assword:")) {
        mode_ = kPassword;
      } else {
        mode_ = kCommand;
      }
    }
    if (b == 0x7f || b == 0x08) {  // backspace / delete edit the line
      if (!client_line_.empty()) client_line_.pop_back();
      return;
    }
    if (mode_ != kPassword && client_line_.size() < 256 && b >= 0x20 && b < 0x7f)
      client_line_.push_back(char(b));
    if (mode_ == kPassword) typed_password_ = true;
  }

  void line_done() {
    if (mode_ == kUser && !client_line_.empty()) user_ = client_line_;
    if (mode_ == kPassword && typed_password_) password_present_ = true;
    if (mode_ == kCommand && !client_line_.empty() && (!user_.empty() || password_present_))
      ++commands_;
    client_line_.clear();
    typed_password_ = false;
    line_started_ = false;
  }

  void emit() {
    if (emitted_) return;
    emitted_ = true;
    Json ev = out_.begin(flow_, "telnet", ts_);
    Json t;
    if (!login_prompt_.empty()) t["login_prompt"] = login_prompt_;
    if (!user_.empty()) t["user"] = user_;
    t["password_present"] = password_present_;
    t["option_negotiations"] = negotiations_;
    t["commands_after_login"] = commands_;
    ev["telnet"] = std::move(t);
    out_.emit(ev);
  }

  std::uint8_t iac_[2] = {0, 0};
  std::string server_line_, last_server_line_, client_line_, banner_;
  std::string login_prompt_, user_;
  Mode mode_ = kCommand;
  bool line_started_ = false, typed_password_ = false, password_present_ = false;
  bool emitted_ = false;
  int negotiations_ = 0, commands_ = 0;
  std::int64_t ts_ = 0;
};

bool probe(const ProbeInput& in) {
  Bytes d = in.data;
  // IAC followed by WILL/WONT/DO/DONT or SB opens almost every telnet session.
  if (d.size() >= 2 && d[0] == IAC && (d[1] >= 250 && d[1] <= 254)) return true;
  return in.server_port == 23;
}

std::unique_ptr<Analyzer> make(Flow& f, Emitter& e) {
  return std::make_unique<TelnetAnalyzer>(f, e);
}

}  // namespace

extern const AnalyzerInfo kAnalyzer_telnet{"telnet", true, false, probe, make};

}  // namespace vigil::sensor

// FTP control channel: one `ftp` event per command with its reply; the user
// name is reported, the password never (only that one was sent in clear).
// PORT/EPRT commands and 227/229 replies give the data-channel port.
#include <charconv>
#include <deque>

#include "sensor/protocols/analyzer.h"
#include "sensor/protocols/common/line_buffer.h"

namespace vigil::sensor {

namespace {

struct Cmd {
  std::string command, data;
  bool password = false;
  std::vector<std::string> replies;
  std::vector<int> codes;
  int data_port = -1;
  std::int64_t ts = 0;
};

// "h1,h2,h3,h4,p1,p2" -> p1*256+p2
int port_from_tuple(std::string_view s) {
  int v[6] = {};
  int n = 0;
  for (std::size_t i = 0; i < s.size() && n < 6;) {
    if (s[i] < '0' || s[i] > '9') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    std::from_chars(s.data() + i, s.data() + j, v[n++]);
    i = j;
  }
  return n == 6 && v[4] < 256 && v[5] < 256 ? v[4] * 256 + v[5] : -1;
}

class FtpAnalyzer : public Analyzer {
 public:
  using Analyzer::Analyzer;

  void on_data(Dir dir, Bytes data, std::int64_t ts) override {
    ts_ = ts;
    lines_[dir].feed(data, counters(), [&](std::string_view line) {
      if (dir == kToServer)
        command(line);
      else
        reply(line);
      return true;
    });
  }
  void on_gap(Dir dir, std::uint64_t) override { lines_[dir].reset(); }
  void on_end(std::int64_t) override {
    while (!cmds_.empty()) emit_front();
  }

 private:
  void command(std::string_view line) {
    if (line.empty()) return;
    if (cmds_.size() > 64) emit_front();  // unanswered flood: keep memory bounded
    Cmd& c = cmds_.emplace_back();
    c.ts = ts_;
    std::size_t sp = line.find(' ');
    c.command = clean_text(line.substr(0, std::min<std::size_t>(sp, 16)));
    for (char& ch : c.command)
      if (ch >= 'a' && ch <= 'z') ch = char(ch - 32);
    std::string_view arg = sp == std::string_view::npos ? "" : trim(line.substr(sp + 1));
    if (c.command == "PASS") {
      c.password = !arg.empty();
      password_seen_ = password_seen_ || c.password;
    } else {
      c.data = clean_text(arg, 512);
    }
    if (c.command == "USER") user_ = c.data;
    if (c.command == "PORT") c.data_port = port_from_tuple(arg);
    if (c.command == "EPRT") {  // |af|addr|port|
      std::size_t last = arg.rfind('|', arg.size() >= 2 ? arg.size() - 2 : 0);
      if (last != std::string_view::npos) {
        int p = 0;
        std::from_chars(arg.data() + last + 1, arg.data() + arg.size(), p);
        c.data_port = p > 0 && p < 65536 ? p : -1;
      }
    }
  }

  void reply(std::string_view line) {
    if (line.size() < 3) return;
    int code = 0;
    auto [ptr, ec] = std::from_chars(line.data(), line.data() + 3, code);
    bool has_code = ec == std::errc() && ptr == line.data() + 3;
    bool last = has_code && (line.size() == 3 || line[3] == ' ');
    if (cmds_.empty()) {  // greeting before any command
      if (banner_.empty())
        banner_ = clean_text(line.substr(std::min<std::size_t>(4, line.size())), 256);
      return;
    }
    Cmd& c = cmds_.front();
    if (c.replies.size() < 16)
      c.replies.push_back(
          clean_text(has_code ? line.substr(std::min<std::size_t>(4, line.size())) : line, 256));
    if (!has_code) return;
    if (c.codes.empty() || c.codes.back() != code) c.codes.push_back(code);
    if (code == 227) c.data_port = port_from_tuple(line.substr(3));
    if (code == 229) {  // (|||port|)
      std::size_t a = line.find("|||");
      if (a != std::string_view::npos) {
        int p = 0;
        std::from_chars(line.data() + a + 3, line.data() + line.size(), p);
        c.data_port = p > 0 && p < 65536 ? p : -1;
      }
    }
    // Preliminary replies (1xx) are followed by the final one.
    if (last && code >= 200) emit_front();
  }

  void emit_front() {
    Cmd& c = cmds_.front();
    Json ev = out_.begin(flow_, "ftp", c.ts);
    Json f{{"command", c.command}};
    if (!c.data.empty()) f["command_data"] = c.data;
    if (c.command == "PASS") f["password_present"] = c.password;
    if (!c.replies.empty()) f["reply"] = c.replies;
    if (!c.codes.empty()) f["completion_code"] = c.codes;
    if (c.data_port >= 0) f["dynamic_port"] = c.data_port;
    if (!user_.empty()) f["user"] = user_;
    if (!banner_.empty()) f["banner"] = banner_;
    ev["ftp"] = std::move(f);
    out_.emit(ev);
    cmds_.pop_front();
  }

  LineBuffer lines_[2]{LineBuffer(4096), LineBuffer(4096)};
  std::deque<Cmd> cmds_;
  std::string user_, banner_;
  bool password_seen_ = false;
  std::int64_t ts_ = 0;
};

bool probe(const ProbeInput& in) {
  std::string_view s = as_sv(in.data);
  if (in.dir == kToClient) {
    // "220" greetings are shared with SMTP (probed first); FTP says so or uses port 21.
    if (!s.starts_with("220")) return false;
    return in.server_port == 21 || s.find("FTP") != std::string_view::npos ||
           s.find("ftp") != std::string_view::npos;
  }
  return in.server_port == 21 && (istarts_with(s, "USER ") || istarts_with(s, "SYST") ||
                                  istarts_with(s, "FEAT") || istarts_with(s, "AUTH "));
}

std::unique_ptr<Analyzer> make(Flow& f, Emitter& e) {
  return std::make_unique<FtpAnalyzer>(f, e);
}

}  // namespace

extern const AnalyzerInfo kAnalyzer_ftp{"ftp", true, false, probe, make};

}  // namespace vigil::sensor

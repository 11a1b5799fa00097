// SSH: the identification strings (RFC 4253 4.2) of both sides; everything
// after them is binary or encrypted. One `ssh` event per session.
#include "sensor/protocols/analyzer.h"
#include "sensor/protocols/common/line_buffer.h"

namespace vigil::sensor {

namespace {

class SshAnalyzer : public Analyzer {
 public:
  using Analyzer::Analyzer;

  void on_data(Dir dir, Bytes data, std::int64_t ts) override {
    if (!ts_) ts_ = ts;
    if (done_[dir]) return;
    lines_[dir].feed(data, counters(), [&](std::string_view line) {
      // Servers may send other lines before the banner (RFC 4253 4.2).
      if (!line.starts_with("SSH-")) return !done_[dir];
      banner_[dir] = clean_text(line, 255);
      done_[dir] = true;
      return false;
    });
    if (done_[0] && done_[1]) emit();
  }
  void on_end(std::int64_t) override { emit(); }

 private:
  static Json side(const std::string& banner) {
    // SSH-protoversion-softwareversion SP comments
    Json j{{"banner", banner}};
    std::string_view b = banner;
    b.remove_prefix(4);
    std::size_t dash = b.find('-');
    j["proto_version"] = std::string(b.substr(0, dash));
    if (dash != std::string_view::npos) {
      std::string_view sw = b.substr(dash + 1);
      std::size_t sp = sw.find(' ');
      j["software_version"] = std::string(sw.substr(0, sp));
      if (sp != std::string_view::npos) j["comment"] = std::string(sw.substr(sp + 1));
    }
    return j;
  }
  void emit() {
    if (emitted_ || (banner_[0].empty() && banner_[1].empty())) return;
    emitted_ = true;
    Json ev = out_.begin(flow_, "ssh", ts_);
    Json s;
    if (!banner_[0].empty()) s["client"] = side(banner_[0]);
    if (!banner_[1].empty()) s["server"] = side(banner_[1]);
    ev["ssh"] = std::move(s);
    out_.emit(ev);
  }

  LineBuffer lines_[2]{LineBuffer(1024), LineBuffer(1024)};
  std::string banner_[2];
  bool done_[2] = {false, false};
  bool emitted_ = false;
  std::int64_t ts_ = 0;
};

bool probe(const ProbeInput& in) {
  return as_sv(in.data).starts_with("SSH-");
}

std::unique_ptr<Analyzer> make(Flow& f, Emitter& e) {
  return std::make_unique<SshAnalyzer>(f, e);
}

}  // namespace

extern const AnalyzerInfo kAnalyzer_ssh{"ssh", true, false, probe, make};

}  // namespace vigil::sensor

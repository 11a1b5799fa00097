// DNS over UDP (one message per datagram) and TCP (2-byte length framing):
// one `dns` event per message, query or answer.
#include "sensor/protocols/analyzer.h"
#include "sensor/protocols/dns/dns_message.h"

namespace vigil::sensor {

namespace {

bool dns_port(std::uint16_t p) {
  return p == 53 || p == 5353 || p == 5355;
}

class DnsAnalyzer : public Analyzer {
 public:
  using Analyzer::Analyzer;

  void on_data(Dir dir, Bytes data, std::int64_t ts) override {
    if (flow_.proto == kProtoUDP) {
      message(data, ts);
      return;
    }
    std::string& buf = tcp_[dir];
    buf.append(as_sv(data));
    while (buf.size() >= 2) {
      std::size_t len = std::size_t(std::uint8_t(buf[0])) << 8 | std::uint8_t(buf[1]);
      if (buf.size() < 2 + len) break;
      message(as_bytes(std::string_view(buf).substr(2, len)), ts);
      buf.erase(0, 2 + len);
    }
    if (buf.size() > 70000) buf.clear();
  }
  void on_gap(Dir dir, std::uint64_t) override { tcp_[dir].clear(); }

 private:
  void message(Bytes data, std::int64_t ts) {
    dns::Message m;
    bool ok = dns::parse(data, m);
    if (!ok) counters().inc(Counter::dns_malformed);
    if (m.questions.empty() && !ok) return;
    Json ev = out_.begin(flow_, "dns", ts);
    Json d;
    d["type"] = m.response ? "answer" : "query";
    d["id"] = m.id;
    if (!m.questions.empty()) {
      d["rrname"] = m.questions[0].name;
      d["rrtype"] = dns::type_name(m.questions[0].type);
    }
    if (m.opcode) d["opcode"] = m.opcode;
    if (m.response) {
      d["rcode"] = dns::rcode_name(m.rcode);
      char flags[16];
      std::snprintf(flags, sizeof flags, "%s%s%s%s", m.aa ? "aa" : "", m.tc ? "tc" : "",
                    m.rd ? "rd" : "", m.ra ? "ra" : "");
      d["flags"] = flags;
      Json ans = Json::array();
      for (const auto& a : m.answers)
        ans.push_back({{"rrname", a.name},
                       {"rrtype", dns::type_name(a.type)},
                       {"ttl", a.ttl},
                       {"rdata", a.rdata}});
      if (!ans.empty()) d["answers"] = ans;
    }
    if (!ok) d["malformed"] = true;
    ev["dns"] = std::move(d);
    out_.emit(ev);
  }
  std::string tcp_[2];
};

bool probe(const ProbeInput& in) {
  Bytes d = in.data;
  if (in.proto == kProtoTCP) {
    if (!dns_port(in.server_port) || d.size() < 2 + 12) return false;
    d = d.subspan(2);
  } else if (!dns_port(in.server_port) && !dns_port(in.client_port)) {
    return false;  // no reliable DNS signature without the port
  }
  Reader r(d);
  r.skip(2);
  std::uint16_t flags = r.u16();
  std::uint16_t qd = r.u16();
  return r.ok() && ((flags >> 11) & 0xf) <= 6 && qd <= 16;
}

std::unique_ptr<Analyzer> make(Flow& f, Emitter& e) {
  return std::make_unique<DnsAnalyzer>(f, e);
}

}  // namespace

extern const AnalyzerInfo kAnalyzer_dns{"dns", true, true, probe, make};

}  // namespace vigil::sensor

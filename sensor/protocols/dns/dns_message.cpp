#include "sensor/protocols/dns/dns_message.h"

#include <arpa/inet.h>

namespace vigil::sensor::dns {

namespace {

// Reads a possibly compressed name starting at r's position in `msg`.
bool read_name(Bytes msg, Reader& r, std::string& out) {
  out.clear();
  std::size_t pos = r.pos();
  bool jumped = false;
  int jumps = 0;
  while (true) {
    if (pos >= msg.size()) return false;
    std::uint8_t len = msg[pos];
    if ((len & 0xc0) == 0xc0) {
      if (pos + 1 >= msg.size() || ++jumps > 32) return false;
      std::size_t target = std::size_t(len & 0x3f) << 8 | msg[pos + 1];
      if (!jumped) r.skip(pos + 2 - r.pos());
      jumped = true;
      pos = target;
      continue;
    }
    if (len & 0xc0) return false;  // extended label types: obsolete
    if (len == 0) {
      if (!jumped) r.skip(pos + 1 - r.pos());
      return r.ok();
    }
    if (pos + 1 + len > msg.size() || out.size() + len > 255) return false;
    if (!out.empty()) out.push_back('.');
    for (std::size_t i = 0; i < len; ++i) {
      char c = char(msg[pos + 1 + i]);
      out.push_back(c >= 0x21 && c < 0x7f ? c : '?');
    }
    pos += 1 + len;
  }
}

std::string rdata_text(Bytes msg, std::uint16_t type, Reader rd) {
  std::string out;
  char buf[64];
  switch (type) {
    case 1: {
      Bytes a = rd.bytes(4);
      if (rd.ok() && inet_ntop(AF_INET, a.data(), buf, sizeof buf)) out = buf;
      break;
    }
    case 28: {
      Bytes a = rd.bytes(16);
      if (rd.ok() && inet_ntop(AF_INET6, a.data(), buf, sizeof buf)) out = buf;
      break;
    }
    case 2:
    case 5:
    case 12:
      if (!read_name(msg, rd, out)) out.clear();
      break;
    case 15: {
      std::uint16_t pref = rd.u16();
      std::string name;
      if (read_name(msg, rd, name)) out = std::to_string(pref) + " " + name;
      break;
    }
    case 33: {
      std::uint16_t prio = rd.u16(), weight = rd.u16(), port = rd.u16();
      std::string name;
      if (read_name(msg, rd, name))
        out = std::to_string(prio) + " " + std::to_string(weight) + " " + std::to_string(port) +
              " " + name;
      break;
    }
    case 6: {
      std::string mname, rname;
      if (read_name(msg, rd, mname) && read_name(msg, rd, rname)) out = mname + " " + rname;
      break;
    }
    case 16:
      while (rd.remaining()) {
        std::uint8_t l = rd.u8();
        Bytes s = rd.bytes(l);
        if (!rd.ok()) break;
        for (std::uint8_t ch : s) out.push_back(ch >= 0x20 && ch < 0x7f ? char(ch) : '.');
        if (out.size() > 1024) break;
      }
      break;
    default:
      break;
  }
  return out;
}

}  // namespace

bool parse(Bytes msg, Message& m) {
  Reader r(msg);
  m.id = r.u16();
  std::uint16_t flags = r.u16();
  std::uint16_t qd = r.u16(), an = r.u16();
  r.skip(4);  // authority and additional counts: not reported
  if (!r.ok()) return false;
  m.response = flags & 0x8000;
  m.opcode = (flags >> 11) & 0xf;
  m.aa = flags & 0x0400;
  m.tc = flags & 0x0200;
  m.rd = flags & 0x0100;
  m.ra = flags & 0x0080;
  m.rcode = flags & 0xf;
  for (int i = 0; i < qd && i < 16; ++i) {
    Question q;
    if (!read_name(msg, r, q.name)) return false;
    q.type = r.u16();
    r.skip(2);
    if (!r.ok()) return false;
    m.questions.push_back(std::move(q));
  }
  for (int i = 0; i < an && i < 64; ++i) {
    Record rec;
    if (!read_name(msg, r, rec.name)) return false;
    rec.type = r.u16();
    r.skip(2);
    rec.ttl = r.u32();
    std::uint16_t rdlen = r.u16();
    std::size_t rdpos = r.pos();
    r.skip(rdlen);
    if (!r.ok()) return false;
    // Names inside rdata are offsets into the whole message, so the reader
    // spans the message from its start, positioned at (and ending with) the rdata.
    Reader rd(msg.first(rdpos + rdlen));
    rd.skip(rdpos);
    rec.rdata = rdata_text(msg, rec.type, rd);
    m.answers.push_back(std::move(rec));
  }
  return true;
}

std::string type_name(std::uint16_t t) {
  switch (t) {
    case 1:
      return "A";
    case 2:
      return "NS";
    case 5:
      return "CNAME";
    case 6:
      return "SOA";
    case 12:
      return "PTR";
    case 15:
      return "MX";
    case 16:
      return "TXT";
    case 28:
      return "AAAA";
    case 33:
      return "SRV";
    case 41:
      return "OPT";
    case 43:
      return "DS";
    case 46:
      return "RRSIG";
    case 47:
      return "NSEC";
    case 48:
      return "DNSKEY";
    case 64:
      return "SVCB";
    case 65:
      return "HTTPS";
    case 255:
      return "ANY";
    case 257:
      return "CAA";
    default:
      return "TYPE" + std::to_string(t);
  }
}

std::string rcode_name(std::uint8_t r) {
  static const char* names[] = {"NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
                                "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE"};
  return r < 11 ? names[r] : "RCODE" + std::to_string(r);
}

}  // namespace vigil::sensor::dns

#include "sensor/protocols/tls/hello.h"

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

#include "core/util/hash.h"

namespace vigil::sensor::tls {

bool is_grease(std::uint16_t v) {
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

namespace {

bool parse_extensions(Reader& r, ClientHello* ch, ServerHello* sh) {
  if (!r.remaining()) return true;  // no extensions at all (SSLv3 style)
  std::uint16_t total = r.u16();
  Reader exts = r.sub(total);
  if (!r.ok()) return false;
  while (exts.remaining()) {
    std::uint16_t type = exts.u16();
    std::uint16_t len = exts.u16();
    Reader e = exts.sub(len);
    if (!exts.ok()) return false;
    if (ch) ch->extensions.push_back(type);
    if (sh) sh->extensions.push_back(type);
    switch (type) {
      case 0x0000:  // server_name
        if (ch) {
          ch->has_sni = true;
          Reader list = e.sub(e.u16());
          while (list.remaining()) {
            std::uint8_t kind = list.u8();
            Bytes name = list.bytes(list.u16());
            if (!list.ok()) break;
            if (kind == 0 && ch->sni.empty()) {
              for (std::uint8_t c : name) ch->sni.push_back(c > 0x20 && c < 0x7f ? char(c) : '?');
            }
          }
        }
        break;
      case 0x000a:  // supported_groups
        if (ch) {
          Reader l = e.sub(e.u16());
          while (l.remaining() >= 2) ch->groups.push_back(l.u16());
        }
        break;
      case 0x000b:  // ec_point_formats
        if (ch) {
          Reader l = e.sub(e.u8());
          while (l.remaining()) ch->point_formats.push_back(l.u8());
        }
        break;
      case 0x000d:  // signature_algorithms
        if (ch) {
          Reader l = e.sub(e.u16());
          while (l.remaining() >= 2) ch->sig_algs.push_back(l.u16());
        }
        break;
      case 0x0010: {  // ALPN
        Reader l = e.sub(e.u16());
        while (l.remaining()) {
          Bytes p = l.bytes(l.u8());
          if (!l.ok()) break;
          std::string s(as_sv(p));
          if (ch) ch->alpn.push_back(s);
          if (sh && sh->alpn.empty()) sh->alpn = s;
        }
        break;
      }
      case 0x002b:  // supported_versions
        if (ch) {
          Reader l = e.sub(e.u8());
          while (l.remaining() >= 2) ch->versions.push_back(l.u16());
        } else if (sh) {
          sh->selected_version = e.u16();
        }
        break;
      default:
        break;
    }
  }
  return true;
}

std::string hex4(std::uint16_t v) {
  char b[8];
  std::snprintf(b, sizeof b, "%04x", v);
  return b;
}

std::string join_dec(const std::vector<std::uint16_t>& v) {
  std::string s;
  for (std::uint16_t x : v) {
    if (is_grease(x)) continue;
    if (!s.empty()) s.push_back('-');
    s += std::to_string(x);
  }
  return s;
}

std::string sha256_12(const std::string& s) {
  return vigil::sha256_hex(s).substr(0, 12);
}

}  // namespace

bool parse_client_hello(Bytes body, ClientHello& ch) {
  Reader r(body);
  ch.version = r.u16();
  r.skip(32);      // random
  r.skip(r.u8());  // session id
  Reader cs = r.sub(r.u16());
  while (cs.remaining() >= 2) ch.ciphers.push_back(cs.u16());
  r.skip(r.u8());  // compression methods
  if (!r.ok()) return false;
  return parse_extensions(r, &ch, nullptr) && r.ok();
}

bool parse_server_hello(Bytes body, ServerHello& sh) {
  Reader r(body);
  sh.version = r.u16();
  r.skip(32);
  r.skip(r.u8());
  sh.cipher = r.u16();
  r.skip(1);  // compression
  if (!r.ok()) return false;
  return parse_extensions(r, nullptr, &sh) && r.ok();
}

std::string version_name(std::uint16_t v) {
  switch (v) {
    case 0x0200:
      return "SSLv2";
    case 0x0300:
      return "SSLv3";
    case 0x0301:
      return "TLS 1.0";
    case 0x0302:
      return "TLS 1.1";
    case 0x0303:
      return "TLS 1.2";
    case 0x0304:
      return "TLS 1.3";
    default:
      return "0x" + hex4(v);
  }
}

std::string cipher_name(std::uint16_t id) {
  // OpenSSL knows the IANA names of every suite it implements; one SSL object
  // is created once and only used for lookups.
  static SSL_CTX* ctx = nullptr;
  static SSL* ssl = nullptr;
  static std::once_flag once;
  std::call_once(once, [] {
    ctx = SSL_CTX_new(TLS_method());
    if (ctx) {
      SSL_CTX_set_security_level(ctx, 0);
      SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
      ssl = SSL_new(ctx);
    }
  });
  if (ssl) {
    unsigned char b[2] = {std::uint8_t(id >> 8), std::uint8_t(id)};
    if (const SSL_CIPHER* c = SSL_CIPHER_find(ssl, b)) {
      if (const char* n = SSL_CIPHER_standard_name(c)) return n;
    }
  }
  return "0x" + hex4(id);
}

std::string md5_hex(const std::string& s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), md, &n, EVP_md5(), nullptr);
  return vigil::to_hex(std::span<const std::uint8_t>(md, n));
}

std::string ja3_string(const ClientHello& ch) {
  std::string pf;
  for (std::uint8_t p : ch.point_formats) {
    if (!pf.empty()) pf.push_back('-');
    pf += std::to_string(p);
  }
  return std::to_string(ch.version) + "," + join_dec(ch.ciphers) + "," + join_dec(ch.extensions) +
         "," + join_dec(ch.groups) + "," + pf;
}

std::string ja3s_string(const ServerHello& sh) {
  return std::to_string(sh.version) + "," + std::to_string(sh.cipher) + "," +
         join_dec(sh.extensions);
}

std::string ja4(const ClientHello& ch, char transport) {
  std::uint16_t ver = 0;
  for (std::uint16_t v : ch.versions)
    if (!is_grease(v)) ver = std::max(ver, v);
  if (!ver) ver = ch.version;
  std::string vs;
  switch (ver) {
    case 0x0304:
      vs = "13";
      break;
    case 0x0303:
      vs = "12";
      break;
    case 0x0302:
      vs = "11";
      break;
    case 0x0301:
      vs = "10";
      break;
    case 0x0300:
      vs = "s3";
      break;
    case 0x0200:
      vs = "s2";
      break;
    case 0x0100:
      vs = "s1";
      break;
    case 0xfeff:
      vs = "d1";
      break;
    case 0xfefd:
      vs = "d2";
      break;
    case 0xfefc:
      vs = "d3";
      break;
    default:
      vs = "00";
      break;
  }
  std::vector<std::uint16_t> ciphers, exts;
  for (std::uint16_t c : ch.ciphers)
    if (!is_grease(c)) ciphers.push_back(c);
  for (std::uint16_t e : ch.extensions)
    if (!is_grease(e)) exts.push_back(e);
  std::string alpn = "00";
  if (!ch.alpn.empty() && !ch.alpn[0].empty()) {
    const std::string& a = ch.alpn[0];
    auto alnum = [](unsigned char c) {
      return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    };
    unsigned char f = a.front(), l = a.back();
    if (alnum(f) && alnum(l)) {
      alpn = {char(f), char(l)};
    } else {
      char hf[3], hl[3];
      std::snprintf(hf, 3, "%02x", f);
      std::snprintf(hl, 3, "%02x", l);
      alpn = {hf[0], hl[1]};
    }
  }
  char a[32];
  std::snprintf(a, sizeof a, "%c%s%c%02zu%02zu%s", transport, vs.c_str(), ch.has_sni ? 'd' : 'i',
                std::min<std::size_t>(ciphers.size(), 99), std::min<std::size_t>(exts.size(), 99),
                alpn.c_str());

  std::sort(ciphers.begin(), ciphers.end());
  std::string cs;
  for (std::uint16_t c : ciphers) cs += (cs.empty() ? "" : ",") + hex4(c);
  std::string b = ciphers.empty() ? "000000000000" : sha256_12(cs);

  std::vector<std::uint16_t> sorted;
  for (std::uint16_t e : exts)
    if (e != 0x0000 && e != 0x0010) sorted.push_back(e);
  std::sort(sorted.begin(), sorted.end());
  std::string es;
  for (std::uint16_t e : sorted) es += (es.empty() ? "" : ",") + hex4(e);
  std::string sa;
  for (std::uint16_t s : ch.sig_algs)
    if (!is_grease(s)) sa += (sa.empty() ? "" : ",") + hex4(s);
  std::string c = sorted.empty() ? "000000000000" : sha256_12(sa.empty() ? es : es + "_" + sa);
  return std::string(a) + "_" + b + "_" + c;
}

}  // namespace vigil::sensor::tls

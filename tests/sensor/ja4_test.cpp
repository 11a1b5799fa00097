// JA4 against the FoxIO specification: its published example (with GREASE
// added, which must be ignored), and every ClientHello in the corpus, where
// the reference fingerprint is computed here from the fields tshark extracts
// (tshark 4.0 has no JA4 field of its own).
#include <algorithm>
#include <catch2/catch.hpp>

#include "core/util/hash.h"
#include "sensor/protocols/tls/hello.h"
#include "sensor_test_util.h"

using namespace vigil::sensor;
using namespace vigil::sensor::test;

namespace {

bool grease(unsigned v) {
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

std::vector<unsigned> numbers(const std::string& list) {
  std::vector<unsigned> out;
  if (list.empty()) return out;
  for (const auto& t : split(list, ',')) out.push_back(unsigned(std::stoul(t, nullptr, 0)));
  return out;
}

std::string hex_list(std::vector<unsigned> v, bool sort) {
  std::erase_if(v, grease);
  if (sort) std::sort(v.begin(), v.end());
  std::string s;
  char b[8];
  for (unsigned x : v) {
    std::snprintf(b, sizeof b, "%04x", x);
    s += (s.empty() ? "" : ",") + std::string(b);
  }
  return s;
}

// The spec's algorithm, from tshark's columns: handshake version, ciphers,
// extension types, signature algorithms, ALPN strings, supported versions.
std::string reference_ja4(const std::vector<std::string>& c) {
  auto ciphers = numbers(c[1]), exts = numbers(c[2]), sigs = numbers(c[3]);
  unsigned ver = 0;
  for (unsigned v : numbers(c[5]))
    if (!grease(v)) ver = std::max(ver, v);
  if (!ver) ver = numbers(c[0]).at(0);
  std::map<unsigned, std::string> vs{{0x0304, "13"}, {0x0303, "12"}, {0x0302, "11"},
                                     {0x0301, "10"}, {0x0300, "s3"}, {0x0200, "s2"}};
  std::erase_if(ciphers, grease);
  std::erase_if(exts, grease);
  bool sni = std::find(exts.begin(), exts.end(), 0u) != exts.end();
  std::string alpn = "00";
  if (!c[4].empty()) {
    std::string first = split(c[4], ',')[0];
    alpn = {first.front(), first.back()};
  }
  char a[16];
  std::snprintf(a, sizeof a, "t%s%c%02zu%02zu", vs.count(ver) ? vs[ver].c_str() : "00",
                sni ? 'd' : 'i', std::min<std::size_t>(ciphers.size(), 99),
                std::min<std::size_t>(exts.size(), 99));
  std::vector<unsigned> rest;
  for (unsigned e : exts)
    if (e != 0 && e != 0x10) rest.push_back(e);
  std::string ext_str = hex_list(rest, true), sig_str = hex_list(sigs, false);
  std::string b = vigil::sha256_hex(hex_list(ciphers, true)).substr(0, 12);
  std::string cc =
      vigil::sha256_hex(sig_str.empty() ? ext_str : ext_str + "_" + sig_str).substr(0, 12);
  return std::string(a) + alpn + "_" + b + "_" + cc;
}

}  // namespace

TEST_CASE("ja4: the specification's example, GREASE ignored", "[sensor][tls][ja4]") {
  tls::ClientHello ch;
  ch.version = 0x0303;
  ch.ciphers = {0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
                0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
  ch.extensions = {0x1a1a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d,
                   0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015, 0xfafa};
  ch.sig_algs = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
  ch.versions = {0x2a2a, 0x0304, 0x0303};
  ch.alpn = {"h2", "http/1.1"};
  ch.has_sni = true;
  CHECK(tls::ja4(ch) == "t13d1516h2_8daaf6152771_e5627efa2ab1");
  ch.sig_algs.clear();  // "the string ends without an underscore"
  CHECK(tls::ja4(ch) == "t13d1516h2_8daaf6152771_6d807ffa2a79");
  ch.versions.clear();  // no supported_versions: the ClientHello version
  ch.alpn = {"http/1.1"};
  ch.has_sni = false;
  CHECK(tls::ja4(ch).starts_with("t12i1516h1_8daaf6152771_"));
  ch.ciphers.clear();
  ch.extensions.clear();
  CHECK(tls::ja4(ch) == "t12i0000h1_000000000000_000000000000");
}

TEST_CASE("ja4: every corpus ClientHello matches the reference from tshark's fields",
          "[sensor][tls][ja4][tshark]") {
  int compared = 0;
  for (const std::string& name : corpus_files()) {
    std::string f = corpus(name);
    auto hellos = tshark_fields(
        f, "tls.handshake.type==1",
        {"tls.handshake.version", "tls.handshake.ciphersuite", "tls.handshake.extension.type",
         "tls.handshake.sig_hash_alg", "tls.handshake.extensions_alpn_str",
         "tls.handshake.extensions.supported_version"});
    if (hellos.empty()) continue;
    INFO(name);
    std::multiset<std::string> want, got;
    for (const auto& h : hellos) want.insert(reference_ja4(split(h, '|')));
    for (const auto& e : run_file(f).of_type("tls")) got.insert(e["tls"]["ja4"].get<std::string>());
    CHECK(got == want);
    compared += int(want.size());
  }
  CHECK(compared >= 3);
}

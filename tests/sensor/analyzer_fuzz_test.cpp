// Every registered analyser gets random and half-valid input in both
// directions, with gaps and an end: nothing may crash or throw (ASan/UBSan in CI).
#include <catch2/catch.hpp>
#include <random>

#include "sensor/engine/hooks.h"
#include "sensor/protocols/analyzer.h"

using namespace vigil::sensor;

TEST_CASE("analysers survive random and truncated input", "[sensor][protocols][robust]") {
  const std::vector<std::string> prefixes = {
      "",
      "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffff\r\n",
      std::string("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 40\r\n\r\n"
                  "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x4b\x4c\x4a\x06\x00",
                  78),
      "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nxyz",
      std::string("\x16\x03\x01\x00\x40\x01\x00\x00\x3c\x03\x03", 11),
      std::string("\x16\x03\x03\x00\x10\x0b\x00\x00\x0c\x00\x00\x09", 12),
      "SSH-2.0-x\r\n",
      "220 ftp ready\r\n227 Entering Passive Mode (1,2,3,4,5\r\n227\r\n",
      "USER a\r\nPASS\r\nEPRT |1|2|\r\nPORT 1,2\r\n",
      "220 smtp ESMTP\r\nAUTH PLAIN\r\nAUTH LOGIN\r\nMAIL FROM:<@>\r\n250-STARTTLS\r\n",
      std::string("\xff\xfb\x01\xff\xfa\x18\xff\xf0login: \xff", 13),
      std::string("\x00\x1c\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00\xc0\x0c", 16),
  };
  std::mt19937 rng(42);
  Counters counters;
  MemorySink sink;
  Identity id;
  Emitter emitter(id, sink, counters);
  Hooks no_hooks;  // with hooks attached HTTP also decodes bodies: fuzz that too
  emitter.attach(nullptr, &no_hooks);
  for (const AnalyzerInfo* a : analyzers()) {
    for (std::uint8_t proto : {kProtoTCP, kProtoUDP}) {
      if (!(proto == kProtoTCP ? a->tcp : a->udp)) continue;
      for (int round = 0; round < 200; ++round) {
        Flow f;
        f.proto = proto;
        f.cport = 40000;
        f.sport = 53;
        auto an = a->make(f, emitter);
        for (int chunk = 0; chunk < 8; ++chunk) {
          std::string data = prefixes[rng() % prefixes.size()];
          data.resize(rng() % (data.size() + 1));  // truncated at any point
          std::size_t extra = rng() % 600;
          for (std::size_t i = 0; i < extra; ++i) data.push_back(char(rng()));
          Dir dir = rng() % 2 ? kToServer : kToClient;
          an->on_data(dir, as_bytes(data), 1'000'000 + chunk);
          if (rng() % 10 == 0) an->on_gap(dir, rng() % 5000);
        }
        an->on_end(2'000'000);
      }
    }
  }
  CHECK(analyzers().size() == 8);
}

// Shared by the HTTP body tests: a Hooks that records every decoded body,
// deterministic text, and the process's peak-RSS growth over a block.
#pragma once

#include <zlib.h>

#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sensor/engine/hooks.h"

namespace vigil::sensor::test {

struct Body {
  Dir dir;
  std::string body;
  bool truncated;
  std::uint64_t length;  // in the stream, de-chunked, before decoding
};

// Thread-safe: one Hooks per worker, all appending here.
class Bodies {
 public:
  HooksFactory factory() {
    return [self = this]() -> std::unique_ptr<Hooks> { return std::make_unique<Rec>(*self); };
  }
  std::uint64_t depth = UINT64_MAX;  // what the hook says it uses of each body
  std::vector<Body> take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(all_);
  }

 private:
  struct Rec : Hooks {
    explicit Rec(Bodies& b) : b_(b) {}
    void http_body(const Flow&, Dir dir, Bytes body, std::uint64_t length, bool truncated,
                   std::int64_t) override {
      std::lock_guard<std::mutex> lock(b_.mu_);
      b_.all_.push_back({dir, std::string(as_sv(body)), truncated, length});
    }
    std::uint64_t http_body_depth() const override { return b_.depth; }
    Bodies& b_;
  };
  std::mutex mu_;
  std::vector<Body> all_;
};

// Deterministic, compressible but not trivially so (~4:1 with gzip).
inline std::string sample_text(std::size_t n, unsigned seed) {
  static const char* words[] = {"alpha ", "bravo ", "charlie ", "delta ", "echo\n", "foxtrot ",
                                "<p>",    "</p>\n", "golf ",    "hotel ", "india ", "juliet "};
  std::string s;
  unsigned x = seed * 2654435761u + 1;
  while (s.size() < n) {
    x = x * 1103515245u + 12345u;
    s += words[(x >> 16) % 12];
    if ((x & 7) == 0) s += std::to_string(x % 100000);
  }
  s.resize(n);
  return s;
}

// zlib deflate of `in`: wrapper 16+15 = gzip, 15 = zlib, -15 = raw.
inline std::string compress(const std::string& in, int window_bits, int level = 6) {
  z_stream z{};
  deflateInit2(&z, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, uLong(in.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = uInt(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// gzip of `n` zero bytes, streamed so the 100 MB never exist in memory.
inline std::string gzip_zeros(std::size_t n) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 16 + 15, 9, Z_DEFAULT_STRATEGY);
  std::string zeros(1 << 20, '\0'), out;
  char buf[65536];
  for (std::size_t done = 0; done < n;) {
    std::size_t k = std::min(zeros.size(), n - done);
    done += k;
    z.next_in = reinterpret_cast<Bytef*>(zeros.data());
    z.avail_in = uInt(k);
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      deflate(&z, done == n ? Z_FINISH : Z_NO_FLUSH);
      out.append(buf, sizeof buf - z.avail_out);
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  return out;
}

// Peak RSS growth from construction (Linux: clear_refs 5 resets VmHWM).
class PeakRss {
 public:
  PeakRss() {
    std::ofstream("/proc/self/clear_refs") << "5";
    base_ = read("VmRSS:");
  }
  std::optional<long> growth_mib() const {
    long hwm = read("VmHWM:");
    if (base_ <= 0 || hwm <= 0) return std::nullopt;
    return (hwm - base_) / 1024;
  }

 private:
  static long read(const std::string& key) {
    std::ifstream in("/proc/self/status");
    for (std::string k; in >> k;) {
      long v;
      if (k == key && in >> v) return v;  // kB
    }
    return -1;
  }
  long base_ = -1;
};

}  // namespace vigil::sensor::test

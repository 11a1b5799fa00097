// Decodes one HTTP message body for the inspection hooks (YARA on bodies):
// the analyser feeds the de-chunked payload, gzip and deflate are inflated
// with zlib. Memory and CPU are bounded against decompression bombs: the
// decoded body stops at `body_cap` bytes, and inflation stops as soon as the
// output/input ratio passes `ratio_cap`; both cuts are counted and mark the
// body truncated. One decoder per direction, reused across keep-alive messages.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sensor/common/counters.h"
#include "sensor/common/reader.h"

struct z_stream_s;

namespace vigil::sensor {

struct HttpBodyConfig {
  std::uint64_t body_cap = 1 << 20;  // decoded bytes kept per body
  std::uint32_t ratio_cap = 200;     // decoded/encoded bytes; zeros deflate ~1000:1
};

class BodyDecoder {
 public:
  enum class Encoding { kIdentity, kGzip, kDeflate };

  BodyDecoder();
  ~BodyDecoder();
  BodyDecoder(const BodyDecoder&) = delete;
  BodyDecoder& operator=(const BodyDecoder&) = delete;

  // Content-Encoding value -> encoding; unknown codings (br, compress) are kept
  // as they are (identity) so the hook still sees the bytes.
  static Encoding encoding_of(std::string_view content_encoding);

  // `wanted`: the bytes the consumers use (the YARA depth); decoding stops
  // there too, marked truncated but not counted as capped.
  void start(Encoding e, const HttpBodyConfig& cfg, std::uint64_t wanted = UINT64_MAX);
  bool active() const { return active_; }
  // Body bytes as they arrive (after de-chunking).
  void feed(Bytes data, Counters& c);
  // Bytes of the body were lost (reassembly gap): what follows cannot be decoded.
  void hole() { stop(); }
  bool truncated() const { return truncated_; }
  Bytes body() const { return as_bytes(out_); }
  // Body bytes fed so far (de-chunked, before decoding), cut or not.
  std::uint64_t fed() const { return fed_; }
  // Ready for the next message; keeps the zlib state allocated for reuse.
  void reset();

 private:
  void inflate(Bytes data, Counters& c);
  void stop() { done_ = truncated_ = true; }
  // Keeps what fits under limit_ of `data`; true when some did not fit.
  bool cut(std::string_view data, Counters& c);

  struct ZDeleter {
    void operator()(z_stream_s* z) const;
  };
  std::unique_ptr<z_stream_s, ZDeleter> z_;
  HttpBodyConfig cfg_;
  std::uint64_t limit_ = 0;  // min(body_cap, wanted)
  std::uint64_t fed_ = 0;
  Encoding enc_ = Encoding::kIdentity;
  std::string out_;
  bool active_ = false, done_ = false, truncated_ = false, raw_tried_ = false;
};

}  // namespace vigil::sensor

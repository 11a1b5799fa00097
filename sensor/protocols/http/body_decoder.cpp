#include "sensor/protocols/http/body_decoder.h"

#include <zlib.h>

#include <algorithm>

#include "sensor/protocols/common/line_buffer.h"

namespace vigil::sensor {

namespace {
// The ratio cap applies past this much output: small bodies of repeated
// bytes legitimately compress far beyond any sane ratio.
constexpr std::uint64_t kRatioFloor = 64 * 1024;
// Auto-detects the gzip or zlib wrapper; raw deflate (-15) is the fallback
// for servers that send "deflate" without the zlib header.
constexpr int kAutoWindow = 15 + 32;
}  // namespace

void BodyDecoder::ZDeleter::operator()(z_stream_s* z) const {
  inflateEnd(z);
  delete z;
}

BodyDecoder::BodyDecoder() = default;
BodyDecoder::~BodyDecoder() = default;

BodyDecoder::Encoding BodyDecoder::encoding_of(std::string_view v) {
  v = trim(v);
  if (iequals(v, "gzip") || iequals(v, "x-gzip")) return Encoding::kGzip;
  if (iequals(v, "deflate")) return Encoding::kDeflate;
  return Encoding::kIdentity;
}

void BodyDecoder::start(Encoding e, const HttpBodyConfig& cfg, std::uint64_t wanted) {
  reset();
  cfg_ = cfg;
  limit_ = std::min(cfg.body_cap, wanted);
  enc_ = e;
  active_ = true;
  if (e == Encoding::kIdentity) return;
  if (!z_) {
    z_.reset(new z_stream_s{});
    if (inflateInit2(z_.get(), kAutoWindow) != Z_OK) {
      z_.reset();
      stop();
    }
  } else if (inflateReset2(z_.get(), kAutoWindow) != Z_OK) {
    stop();
  }
}

void BodyDecoder::reset() {
  out_.clear();
  if (out_.capacity() > limit_) out_.shrink_to_fit();
  active_ = done_ = truncated_ = raw_tried_ = false;
  fed_ = 0;
}

void BodyDecoder::feed(Bytes data, Counters& c) {
  if (!active_) return;
  fed_ += data.size();
  if (done_ || data.empty()) return;
  if (enc_ != Encoding::kIdentity) return inflate(data, c);
  if (!cut(as_sv(data), c)) out_.append(as_sv(data));
}

bool BodyDecoder::cut(std::string_view data, Counters& c) {
  const std::uint64_t room = limit_ - out_.size();
  if (data.size() <= room) return false;
  out_.append(data.substr(0, room));
  // Cut by the configured cap: counted; by what the consumers use: not.
  if (limit_ == cfg_.body_cap) c.inc(Counter::http_body_capped);
  stop();
  return true;
}

void BodyDecoder::inflate(Bytes data, Counters& c) {
  z_stream_s& z = *z_;
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = uInt(data.size());
  unsigned char buf[16384];
  for (;;) {
    z.next_out = buf;
    z.avail_out = sizeof buf;
    int rc = ::inflate(&z, Z_NO_FLUSH);
    if (rc == Z_DATA_ERROR && enc_ == Encoding::kDeflate && !raw_tried_ && z.total_out == 0) {
      // "deflate" without the zlib header: start over as raw deflate.
      raw_tried_ = true;
      if (inflateReset2(&z, -15) != Z_OK) return stop();
      z.next_in = const_cast<Bytef*>(data.data());
      z.avail_in = uInt(data.size());
      continue;
    }
    std::size_t n = sizeof buf - z.avail_out;
    const std::string_view piece(reinterpret_cast<const char*>(buf), n);
    if (cut(piece, c)) return;
    out_.append(piece);
    // Ratio against the compressed bytes consumed so far, not those fed.
    if (out_.size() > kRatioFloor && out_.size() > std::uint64_t(cfg_.ratio_cap) * z.total_in) {
      c.inc(Counter::http_decompress_bomb);
      return stop();
    }
    if (rc == Z_STREAM_END) {
      done_ = true;  // trailing bytes after the stream are ignored
      return;
    }
    if (rc != Z_OK) {
      if (rc != Z_BUF_ERROR) {
        c.inc(Counter::http_decompress_error);
        stop();
      }
      return;
    }
    if (z.avail_in == 0 && z.avail_out != 0) return;  // input used up, output drained
  }
}

}  // namespace vigil::sensor

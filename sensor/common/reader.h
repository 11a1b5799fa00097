// The one bounds-checked reader for untrusted bytes (cf. YARA fits_in_pe).
// Every decoder and protocol parser reads through it: a read past the end sets
// `ok()` to false and returns 0, so parsers check once at the end of a block
// instead of before every field. Views only: never copies packet data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace vigil::sensor {

using Bytes = std::span<const std::uint8_t>;

inline std::string_view as_sv(Bytes b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

class Reader {
 public:
  explicit Reader(Bytes data) : data_(data) {}

  bool ok() const { return ok_; }
  std::size_t pos() const { return pos_; }
  std::size_t remaining() const { return ok_ ? data_.size() - pos_ : 0; }
  bool has(std::size_t n) const { return ok_ && data_.size() - pos_ >= n; }
  Bytes rest() const { return ok_ ? data_.subspan(pos_) : Bytes{}; }

  std::uint8_t u8() { return has(1) ? data_[pos_++] : fail(); }
  std::uint16_t u16() {  // network byte order
    if (!has(2)) return fail();
    std::uint16_t v = std::uint16_t(data_[pos_] << 8 | data_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  std::uint16_t u16le() {
    if (!has(2)) return fail();
    std::uint16_t v = std::uint16_t(data_[pos_ + 1] << 8 | data_[pos_]);
    pos_ += 2;
    return v;
  }
  std::uint32_t u24() {
    if (!has(3)) return fail();
    std::uint32_t v =
        std::uint32_t(data_[pos_]) << 16 | std::uint32_t(data_[pos_ + 1]) << 8 | data_[pos_ + 2];
    pos_ += 3;
    return v;
  }
  std::uint32_t u32() {
    if (!has(4)) return fail();
    std::uint32_t v = std::uint32_t(data_[pos_]) << 24 | std::uint32_t(data_[pos_ + 1]) << 16 |
                      std::uint32_t(data_[pos_ + 2]) << 8 | data_[pos_ + 3];
    pos_ += 4;
    return v;
  }
  std::uint32_t u32le() {
    if (!has(4)) return fail();
    std::uint32_t v = std::uint32_t(data_[pos_ + 3]) << 24 | std::uint32_t(data_[pos_ + 2]) << 16 |
                      std::uint32_t(data_[pos_ + 1]) << 8 | data_[pos_];
    pos_ += 4;
    return v;
  }
  // A view of the next n bytes (empty and !ok() if they are not there).
  Bytes bytes(std::size_t n) {
    if (!has(n)) {
      fail();
      return {};
    }
    Bytes b = data_.subspan(pos_, n);
    pos_ += n;
    return b;
  }
  void skip(std::size_t n) {
    if (!has(n)) {
      fail();
      return;
    }
    pos_ += n;
  }
  // A sub-reader over the next n bytes (length-prefixed structures).
  Reader sub(std::size_t n) {
    Bytes b = bytes(n);
    Reader r(b);
    if (!ok_) r.ok_ = false;
    return r;
  }

 private:
  std::uint8_t fail() {
    ok_ = false;
    return 0;
  }
  Bytes data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace vigil::sensor

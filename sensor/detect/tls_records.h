// Where one TCP direction's TLS ciphertext starts, for content inspection
// (YARA): a direction that opens with a TLS record header is followed record
// by record, and everything from the first application_data record (content
// type 23) on is encrypted, so no signature can match it (Suricata stops
// inspecting there too). A direction that does not open with a TLS record is
// plain and passes whole. Needs in-order data; after a gap the record
// boundaries are lost and the rest of a TLS direction is treated as ciphertext.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sensor/common/reader.h"

namespace vigil::sensor::detect {

class TlsRecords {
 public:
  // How many leading bytes of `data` (at stream `offset`) are not ciphertext.
  std::size_t clear_prefix(Bytes data, std::uint64_t offset) {
    if (state_ == kUnknown) state_ = offset == 0 && looks_like_record(data) ? kRecords : kPlain;
    if (state_ == kPlain) return data.size();
    if (state_ == kEncrypted) return 0;
    if (offset != seen_) {  // a gap: record boundaries lost
      state_ = kEncrypted;
      return 0;
    }
    seen_ = offset + data.size();
    while (next_ < seen_) {
      while (have_ < 5 && next_ + have_ < seen_) {
        hdr_[have_] = data[next_ + have_ - offset];
        ++have_;
      }
      if (have_ < 5) break;  // header continues in the next segment
      if (hdr_[0] == kApplicationData) {
        state_ = kEncrypted;
        return next_ > offset ? std::size_t(next_ - offset) : 0;
      }
      if (hdr_[0] < 20 || hdr_[0] > 24 || hdr_[1] != 3) {  // not TLS after all
        state_ = kPlain;
        return data.size();
      }
      next_ += 5 + (std::uint64_t(hdr_[3]) << 8 | hdr_[4]);
      have_ = 0;
    }
    return data.size();
  }
  bool encrypted() const { return state_ == kEncrypted; }

 private:
  static constexpr std::uint8_t kApplicationData = 23;
  // change_cipher_spec..heartbeat (20-24), SSL 3.0..TLS 1.3 record versions.
  static bool looks_like_record(Bytes d) {
    return d.size() >= 3 && d[0] >= 20 && d[0] <= 24 && d[1] == 3 && d[2] <= 4;
  }
  enum State : std::uint8_t { kUnknown, kPlain, kRecords, kEncrypted };
  State state_ = kUnknown;
  std::uint8_t have_ = 0;
  std::uint8_t hdr_[5] = {};
  std::uint64_t next_ = 0, seen_ = 0;
};

}  // namespace vigil::sensor::detect

// A bulk import's findings, held back a window at a time and written in
// time order: SQLite stores a table's rows in rowid order, which is the
// order they are inserted, so a `findings list --since` that wants the
// newest rows of a month-long import found each of them on its own page
// of the file (14,367 rows: ~14,000 pages, ~9,700 page faults). Written
// by (tenant, last_seen) a window at a time, a day's rows of each window
// share a few pages; a window of a few thousand rows already gives almost
// all of the gain (see docs/findings.md), so the window is small enough to
// stay in cache.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/store/sqlite.h"

namespace vigil::store {

// The values of one findings row, as the insert and the merge bind them.
struct RowValues {
  enum Text : std::uint8_t {
    tenant,
    id,
    source,
    type,
    title,
    description,
    ip,
    mac,
    hostname,
    host_id,
    evidence,
    fingerprint_fields,
    refs,
    status,
    kTexts
  };
  struct Numbers {
    std::int64_t schema_version = 0, severity = 0, first_seen = 0, last_seen = 0, count = 0;
    double confidence = 0;
  };
  std::array<std::string_view, kTexts> text{};
  Numbers num;
};

// Binds ?1..?20 in the column order of the insert (no copy: `v`'s texts must
// outlive the statement's run).
void bind_row(Stmt& s, const RowValues& v);

class HeldRows {
 public:
  // Bytes of held values after which full() says to write them out.
  static constexpr std::size_t kWindowBytes = std::size_t{1} << 20;
  explicit HeldRows(std::size_t window_bytes = kWindowBytes) : window_bytes_(window_bytes) {}

  // Holds a copy of `v`. `into` = 0: a new row, whose number (from 1) is
  // returned; otherwise `v` repeats held row `into` and is merged into it
  // once that row is written. `hash` and `tag` are handed back by write().
  std::uint32_t hold(const RowValues& v, std::uint64_t hash, std::uint64_t tag,
                     std::uint32_t into = 0);
  bool full() const { return used_ >= window_bytes_; }
  bool empty() const { return held_.empty(); }
  // Whether held new row `n` is the finding (tenant, id).
  bool is(std::uint32_t n, std::string_view tenant, std::string_view id) const;

  // Writes the held values out and forgets them: the new rows through
  // insert(values, hash, n) -> Result<rowid>, grouped by tenant, then by the
  // latest last_seen of the row and its held repeats (ties in the order
  // held), then each repeat, in the order held, through
  // merge(values, rowid) -> Status. On an error, `failed_tag` is the tag of
  // the values that failed.
  template <class Insert, class Merge>
  Status write(Insert&& insert, Merge&& merge, std::uint64_t& failed_tag);

 private:
  struct Held {
    std::uint32_t at = 0;  // arena offset of the first text
    std::array<std::uint32_t, RowValues::kTexts> len{};
    RowValues::Numbers num;
    std::uint64_t hash = 0, tag = 0;
    std::uint32_t into = 0;     // 0: a new row; else the number of the row it repeats
    std::int64_t sort_key = 0;  // new rows: latest last_seen of the row and its repeats
    std::int64_t rowid = 0;     // new rows, once written
  };
  RowValues values(const Held& h) const;
  std::vector<std::uint32_t> write_order() const;
  void grow(std::size_t bytes);
  void clear();

  std::size_t window_bytes_;
  // The held texts, one row after another (not a std::string: no zero fill).
  std::unique_ptr<char[]> arena_;
  std::size_t used_ = 0, capacity_ = 0;
  std::vector<Held> held_;  // in the order held
};

template <class Insert, class Merge>
Status HeldRows::write(Insert&& insert, Merge&& merge, std::uint64_t& failed_tag) {
  for (std::uint32_t i : write_order()) {
    Held& h = held_[i];
    auto rowid = insert(values(h), h.hash, i + 1);
    if (!rowid) {
      failed_tag = h.tag;
      return rowid.error();
    }
    h.rowid = *rowid;
  }
  for (const Held& h : held_) {
    if (h.into == 0) continue;
    if (auto r = merge(values(h), held_[h.into - 1].rowid); !r) {
      failed_tag = h.tag;
      return r;
    }
  }
  clear();
  return ok_status();
}

}  // namespace vigil::store

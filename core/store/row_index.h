// Rowids by a 64-bit hash of their key, for a bulk import: the look-up
// tables' triggers are dropped while a bulk import loads, so repeated
// findings are found here instead (the refill also uses it to number
// strings). 16 bytes a slot, open addressing, at most half
// full: ~32 MB per million rows, released with the import.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>

namespace vigil::store {

class RowIndex {
 public:
  RowIndex() = default;
  RowIndex(RowIndex&& o) noexcept
      : slots_(std::move(o.slots_)),
        capacity_(std::exchange(o.capacity_, 0)),
        used_(std::exchange(o.used_, 0)) {}
  RowIndex& operator=(RowIndex&& o) noexcept {
    slots_ = std::move(o.slots_);
    capacity_ = std::exchange(o.capacity_, 0);
    used_ = std::exchange(o.used_, 0);
    return *this;
  }

  // The rowid whose key has hash `h` and for which `same(rowid)` says the
  // key really is equal (hashes collide), or 0. Rowids start at 1; the
  // index holds any other non-zero value the same way (a bulk import's
  // held rows are negative until written).
  template <class Same>
  std::int64_t find(std::uint64_t h, Same&& same) const {
    if (capacity_ == 0) return 0;
    for (std::size_t i = h & mask();; i = (i + 1) & mask()) {
      const Slot& s = slots_[i];
      if (s.rowid == 0) return 0;
      if (s.hash == h && same(s.rowid)) return s.rowid;
    }
  }

  void prefetch(std::uint64_t h) const {
    if (capacity_) __builtin_prefetch(&slots_[h & mask()]);
  }

  void add(std::uint64_t h, std::int64_t rowid) {
    if (2 * (used_ + 1) > capacity_) grow();
    put(h, rowid);
    ++used_;
  }

  // The entry (h, from) now says `to` (a bulk import's held row, once written).
  void replace(std::uint64_t h, std::int64_t from, std::int64_t to) {
    if (capacity_ == 0) return;
    for (std::size_t i = h & mask(); slots_[i].rowid != 0; i = (i + 1) & mask())
      if (slots_[i].hash == h && slots_[i].rowid == from) {
        slots_[i].rowid = to;
        return;
      }
  }

  std::size_t size() const { return used_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::int64_t rowid = 0;  // 0: empty
  };

  std::size_t mask() const { return capacity_ - 1; }

  void put(std::uint64_t h, std::int64_t rowid) {
    std::size_t i = h & mask();
    while (slots_[i].rowid != 0) i = (i + 1) & mask();
    slots_[i] = {h, rowid};
  }

  void grow() {
    const std::size_t old_capacity = capacity_;
    Slots old = std::move(slots_);
    capacity_ = old_capacity ? 2 * old_capacity : 1024;
    slots_ = allocate(capacity_);
    for (std::size_t i = 0; i < old_capacity; ++i)
      if (old[i].rowid != 0) put(old[i].hash, old[i].rowid);
  }

  // Anonymous pages (zero = empty) on huge pages where the kernel allows:
  // every look-up lands on a random slot, and with 4 KiB pages most of them
  // also missed the TLB.
  struct Unmap {
    std::size_t bytes;
    void operator()(Slot* p) const { munmap(p, bytes); }
  };
  using Slots = std::unique_ptr<Slot[], Unmap>;
  static Slots allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(Slot);
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    (void)madvise(p, bytes, MADV_HUGEPAGE);
    return Slots(static_cast<Slot*>(p), Unmap{bytes});
  }

  Slots slots_{nullptr, Unmap{0}};
  std::size_t capacity_ = 0;
  std::size_t used_ = 0;
};

}  // namespace vigil::store

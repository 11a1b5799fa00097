// FindingStore::render: a long list fetched and rendered by several
// connections at once. One connection spends most of an export waiting on
// memory: each listed row is a rowid look-up on its own page of a large
// file (a B-tree descent, a page fault, the columns decoded), ~4 µs a row.
//
// This thread walks finding_times for the listed rowids (narrow, in list
// order) a window at a time. Each reader takes a share of a window: a
// range of its rowids, fetched in rowid order, so that each reader's
// connection (each maps the file on its own) touches its own part of the
// file and no page is faulted in twice. Readers render their rows into
// their own buffers; this thread writes the window out in list order while
// the readers go on with the next one.
//
// Every reader must read the snapshot the rowids came from, or a finding
// changed by an import in between would print as it is now while listed as
// it was. SQLite (as Debian builds it) cannot share a snapshot between
// connections, but it can tell whether anything was committed: PRAGMA
// data_version changes on this connection when another one commits. So:
// read data_version (v1), let every reader begin its read transaction,
// begin ours and read it again (v2). Each reader's snapshot was taken
// between the two, so v1 == v2 means they all read the same state; else
// (a commit raced us) this connection fetches the rows itself.
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <numeric>
#include <thread>

#include "core/store/finding_store.h"
#include "core/store/list_query.h"

namespace vigil::store {

namespace {

constexpr std::size_t kWindowRows = 2048;  // a shorter list is read by this connection alone
// The first window is small, so the readers start early; windows then
// double up to kWindowRows, or fewer rows when rows are large: a window
// aims at kWindowBytes rendered, so an export holds a few times that at once.
constexpr std::size_t kFirstWindowRows = 64;
constexpr std::size_t kMinWindowRows = 16;
constexpr std::uint64_t kWindowBytes = 4 << 20;
constexpr std::size_t kSlots = 4;          // windows in flight: bounds memory
constexpr std::uint32_t kPieceRows = 128;  // rows a reader claims at a time
constexpr std::size_t kWriteBytes = 1 << 16;

Error vanished(std::int64_t rowid) {
  return Error{"", "finding row " + std::to_string(rowid) + " vanished while it was listed"};
}

Result<std::int64_t> data_version(Db& db) {
  auto st = db.prepare("PRAGMA data_version");
  if (!st) return st.error();
  if (auto row = st->step(); !row) return row.error();
  return st->int64(0);
}

// Rows rowid_of(0), ..., rowid_of(n - 1) of tenant `tenant`, handed in that
// order to on_row(i, row), through `st` (made from listed_rows_sql(); `ids`
// holds its JSON array).
template <class RowidOf, class OnRow>
Status fetch_listed(Stmt& st, std::string& ids, std::size_t n, RowidOf rowid_of,
                    const std::string& tenant, OnRow on_row) {
  ids = "[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) ids += ',';
    ids += std::to_string(rowid_of(i));
  }
  ids += ']';
  st.bind_ref(1, ids).bind_ref(2, tenant);
  std::size_t i = 0;
  for (; i < n; ++i) {
    auto row = st.step();
    if (!row) return st.reset(), row.error();
    // A missing row cannot happen within one snapshot; said, not skipped.
    if (!*row || st.int64(20) != rowid_of(i)) break;
    on_row(i, row_view(st));
  }
  st.reset();
  if (i != n) return vanished(rowid_of(i));
  return ok_status();
}

// A second connection in a read transaction of its own.
struct Reader {
  Db db;
  Stmt share;       // listed_rows_sql()
  std::string ids;  // its ?1
};

Result<Reader> open_reader(const std::string& path) {
  auto db = Db::open(path, false);
  if (!db) return db.error();
  if (auto r = db->exec("PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384; BEGIN"); !r)
    return r.error();
  auto share = db->prepare(listed_rows_sql());
  if (!share) return share.error();
  // The snapshot is taken at the first read, not at BEGIN: read now.
  share->bind(1, std::string_view{"[0]"}).bind(2, std::string_view{});
  auto row = share->step();
  share->reset();
  if (!row) return row.error();
  return Reader{std::move(*db), std::move(*share), {}};
}

// Rows of the list, a window at a time: what the readers and this thread
// share. Windows take turns in kSlots slots, so the readers fill some while
// this thread writes others out.
class Windows {
 public:
  Windows(const ListFilter& f, const FindingStore::RenderRow& r, unsigned readers)
      : filter_(f), render_(r), readers_(readers) {
    for (auto& w : slots_) {
      w.bytes.resize(readers);
      w.ranges.resize(readers);
    }
  }

  // Reader `k`: its own connection, then pieces of each window: from the
  // front of its own range while there are any, then from the back of the
  // range with the most left (a reader that shares a CPU with this thread
  // falls behind, and the others take its rest).
  void read(const std::string& path, unsigned k) {
    auto reader = open_reader(path);
    std::unique_lock lock(m_);
    ++opened_;
    open_failed_ = open_failed_ || !reader;
    cv_.notify_all();
    for (std::size_t seq = 0;; ++seq) {
      cv_.wait(lock, [&] { return published_ > seq || quit_; });
      if (quit_ || !reader) return;
      Window& w = slots_[seq % kSlots];
      std::uint32_t a, b;
      while (claim(w, seq, k, a, b)) {
        lock.unlock();
        auto st = fetch_piece(*reader, w, k, a, b);
        lock.lock();
        if (!st && !error_) error_ = st.error();
        w.pending -= b - a;
        if (w.pending == 0 || !st) cv_.notify_all();
      }
    }
  }

  // Waits until every reader has its snapshot; false when one could not open.
  bool wait_opened() {
    std::unique_lock lock(m_);
    cv_.wait(lock, [&] { return opened_ == readers_; });
    return !open_failed_;
  }

  // The window for list rows [first, first + rowids.size()) of slot seq % kSlots,
  // filled by the caller once the slot is free (written out).
  std::vector<std::int64_t>& next_rowids(std::size_t seq) {
    Window& w = slots_[seq % kSlots];
    w.rowids.clear();
    for (auto& b : w.bytes) b.clear();
    return w.rowids;
  }

  void publish(std::size_t seq, std::size_t first) {
    Window& w = slots_[seq % kSlots];
    w.first = first;
    // Positions in rowid order, cut into one contiguous range per reader:
    // each reader's connection then faults in its own part of the file.
    w.order.resize(w.rowids.size());
    std::iota(w.order.begin(), w.order.end(), 0u);
    std::sort(w.order.begin(), w.order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return w.rowids[a] < w.rowids[b]; });
    w.spans.resize(w.rowids.size());
    const std::size_t n = w.rowids.size();
    std::lock_guard lock(m_);
    for (unsigned k = 0; k < readers_; ++k)
      w.ranges[k] = {static_cast<std::uint32_t>(n * k / readers_),
                     static_cast<std::uint32_t>(n * (k + 1) / readers_)};
    w.seq = seq;
    w.pending = n;
    published_ = seq + 1;
    cv_.notify_all();
  }

  // Waits for the readers to finish window `seq`, then writes it in list
  // order; adds its rows and bytes to `rows` and `bytes`.
  Status write_out(std::size_t seq, std::string& out, std::uint64_t& rows, std::uint64_t& bytes,
                   const std::function<void(std::string_view)>& write) {
    Window& w = slots_[seq % kSlots];
    {
      std::unique_lock lock(m_);
      cv_.wait(lock, [&] { return w.pending == 0 || error_; });
      if (error_) return *error_;
    }
    rows += w.spans.size();
    for (const Span& s : w.spans) {
      bytes += s.size;
      out.append(w.bytes[s.reader], s.offset, s.size);
      if (out.size() >= kWriteBytes) write(out), out.clear();
    }
    return ok_status();
  }

  void quit() {
    std::lock_guard lock(m_);
    quit_ = true;
    cv_.notify_all();
  }

 private:
  struct Span {
    std::uint32_t reader, offset, size;
  };
  struct Window {
    std::vector<std::int64_t> rowids;  // in list order
    std::vector<std::uint32_t> order;  // positions, by rowid
    std::vector<Span> spans;           // per position: where its bytes are
    std::vector<std::string> bytes;    // per reader
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges;  // per reader: order[lo, hi) left
    std::size_t seq = 0;                                          // which window this is
    std::size_t first = 0;                                        // list index of rowids[0]
    std::size_t pending = 0;                                      // rows not rendered yet
  };

  // Positions order[a, b) of window `seq` for reader `k` (m_ held), false
  // when none are left: the slot may hold a later window by now.
  bool claim(Window& w, std::size_t seq, unsigned k, std::uint32_t& a, std::uint32_t& b) {
    if (w.seq != seq) return false;
    auto* r = &w.ranges[k];
    bool front = true;
    if (r->first == r->second) {
      front = false;
      for (auto& v : w.ranges)
        if (v.second - v.first > r->second - r->first) r = &v;
      if (r->first == r->second) return false;
    }
    const std::uint32_t n = std::min(kPieceRows, r->second - r->first);
    a = front ? r->first : r->second - n;
    b = a + n;
    (front ? r->first : r->second) = front ? b : a;
    return true;
  }

  // Positions order[a, b) of window `w`, in rowid order, rendered into
  // reader k's buffer.
  Status fetch_piece(Reader& r, Window& w, unsigned k, std::uint32_t a, std::uint32_t b) {
    std::string& bytes = w.bytes[k];
    return fetch_listed(
        r.share, r.ids, b - a, [&](std::size_t i) { return w.rowids[w.order[a + i]]; },
        filter_.tenant,
        [&](std::size_t i, const core::FindingView& row) {
          const std::uint32_t pos = w.order[a + i];
          const std::size_t at = bytes.size();
          render_(row, w.first + pos, bytes);
          w.spans[pos] = {k, static_cast<std::uint32_t>(at),
                          static_cast<std::uint32_t>(bytes.size() - at)};
        });
  }

  const ListFilter& filter_;
  const FindingStore::RenderRow& render_;
  const unsigned readers_;
  Window slots_[kSlots];
  std::mutex m_;
  std::condition_variable cv_;
  unsigned opened_ = 0;  // readers with their snapshot, or failed to get one
  bool open_failed_ = false;
  bool quit_ = false;
  std::size_t published_ = 0;  // windows handed to the readers
  std::optional<Error> error_;
};

}  // namespace

Status FindingStore::render(const ListFilter& f, unsigned readers, const RenderRow& render_row,
                            const std::function<void(std::string_view)>& write) {
  if (f.tenant.empty()) return Error{"", "a tenant is required"};
  std::string out;
  const bool parallel =
      readers > 1 && filters_in_times(f) && (f.limit == 0 || f.limit > kWindowRows);
  if (!parallel) {
    std::size_t index = 0;
    auto r = visit(f, [&](const StoredFinding& row) {
      render_row(row, index++, out);
      if (out.size() >= kWriteBytes) write(out), out.clear();
    });
    if (!out.empty()) write(out);
    return r;
  }

  auto v1 = data_version(db_);
  if (!v1) return v1.error();
  Windows windows(f, render_row, readers);
  std::vector<std::jthread> pool;
  // Destroyed before `pool` joins, on every way out (an exception too).
  const struct Quit {
    Windows& w;
    ~Quit() { w.quit(); }
  } quit{windows};
  for (unsigned k = 0; k < readers; ++k)
    pool.emplace_back([&windows, k, this] { windows.read(db_.path(), k); });
  const bool opened = windows.wait_opened();
  // Our read transaction (its snapshot taken at the first step of `ids`);
  // COMMIT ends it whatever happens below.
  Status st = db_.exec("BEGIN");
  auto ids = st ? db_.prepare(list_sql(f, true)) : Result<Stmt>(st.error());
  if (!ids) st = ids.error();
  if (st) bind_list(*ids, f);
  // Steps `ids` for up to `window` more rowids; false at the end.
  std::size_t window = kFirstWindowRows;
  std::uint64_t rows_out = 0, bytes_out = 0;  // written out so far
  auto fill = [&](std::vector<std::int64_t>& rowids) {
    while (st && rowids.size() < window) {
      auto row = ids->step();
      if (!row) st = row.error();
      if (!row || !*row) return false;
      rowids.push_back(ids->int64(0));
    }
    window = std::min(window * 2, kWindowRows);
    if (bytes_out)
      window = std::min<std::uint64_t>(
          window, std::max<std::uint64_t>(kMinWindowRows, kWindowBytes * rows_out / bytes_out));
    return st.ok();
  };
  std::vector<std::int64_t>& first = windows.next_rowids(0);
  bool more = fill(first);
  auto v2 = data_version(db_);
  if (st && !v2) st = v2.error();
  if (st && opened && *v1 == *v2 && more) {
    // While the readers fetch windows, this thread walks finding_times for
    // the next ones (as long as there are free slots) and writes the
    // finished ones out in order.
    std::size_t published = 1, written = 0, listed = first.size();
    windows.publish(0, 0);
    while (st && written < published) {
      while (more && published < written + kSlots) {
        // Its slot held window published - kSlots, already written out.
        auto& next = windows.next_rowids(published);
        more = fill(next);
        if (!st || next.empty()) break;
        windows.publish(published++, listed);
        listed += next.size();
      }
      if (st) st = windows.write_out(written++, out, rows_out, bytes_out, write);
    }
  } else {
    // A short list, or a commit raced the readers: this connection alone.
    windows.quit();
    auto fetch = st ? db_.prepare(listed_rows_sql()) : Result<Stmt>(st.error());
    if (!fetch) st = fetch.error();
    std::vector<std::int64_t>& rowids = first;
    std::string json_ids;
    for (std::size_t listed = 0; st;) {
      st = fetch_listed(
          *fetch, json_ids, rowids.size(), [&](std::size_t i) { return rowids[i]; }, f.tenant,
          [&](std::size_t i, const core::FindingView& row) { render_row(row, listed + i, out); });
      listed += rowids.size();
      if (!out.empty()) write(out), out.clear();
      if (!st || !more) break;
      rowids.clear();
      more = fill(rowids);
    }
  }
  windows.quit();
  if (!out.empty()) write(out);
  pool.clear();  // joins
  (void)db_.exec("COMMIT");
  return st;
}

}  // namespace vigil::store

#include "core/store/import_files.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "core/finding/finding_import.h"
#include "core/util/json_text.h"
#include "core/util/jsonl.h"

namespace vigil::store {
namespace {

// Parsing (simdjson, validation, fingerprint) and the SQLite upsert run on
// two threads. Findings travel in batches to keep the hand-over cost per
// finding negligible, and the writer hands each batch back once written: the
// reader refills the same findings, whose strings keep their capacity, so
// neither thread allocates or frees per finding (malloc/free of the batches'
// strings were the writer's largest cost after SQLite).
// Small enough that the batches in flight (at most kMaxQueued + 2, about
// 1 MB) stay in cache while both threads share one core: with 16 x 512 the
// recycled findings were cold by the time either thread touched them again.
constexpr std::size_t kBatch = 128;
constexpr std::size_t kMaxQueued = 8;
// Bulk mode is chosen from the file sizes; generated and real findings run
// 300-600 bytes a line, so this errs towards "fewer findings than that".
constexpr std::uint64_t kBytesPerFindingGuess = 600;

struct Batch {
  // findings[0, size) are this batch's; those past `size` are spares kept
  // from an earlier use of the batch for their capacity.
  std::vector<core::ImportedFinding> findings;
  std::size_t size = 0;
  std::size_t file = 0;            // index into the file list; a batch never spans files
  std::vector<std::size_t> lines;  // line of each finding, for errors
  std::optional<Error> error;      // set on the last batch when a line is bad
  std::uint64_t bytes = 0;         // read so far, for the progress bar

  // The slot for the next finding.
  core::ImportedFinding& next() {
    if (size == findings.size()) findings.emplace_back();
    return findings[size];
  }
  void clear() {
    size = 0;
    lines.clear();
    error.reset();
    bytes = 0;
  }
};

using BatchPtr = std::unique_ptr<Batch>;

class Queue {
 public:
  void push(BatchPtr b) {
    std::unique_lock lk(mu_);
    not_full_.wait(lk, [&] { return q_.size() < kMaxQueued || closed_; });
    if (closed_) return;
    q_.push_back(std::move(b));
    not_empty_.notify_one();
  }
  // Null: the producer is done.
  BatchPtr pop() {
    std::unique_lock lk(mu_);
    not_empty_.wait(lk, [&] { return !q_.empty() || done_; });
    if (q_.empty()) return nullptr;
    BatchPtr b = std::move(q_.front());
    q_.pop_front();
    // Wake a blocked reader only once the queue is half empty: on one core
    // it then parses several batches in a row instead of switching threads
    // (and caches) after every batch.
    if (q_.size() <= kMaxQueued / 2) not_full_.notify_one();
    return b;
  }
  // The writer is done with `b`: the reader may refill it.
  void recycle(BatchPtr b) {
    std::lock_guard lk(mu_);
    free_.push_back(std::move(b));
  }
  // A written batch to refill, or a new one while all are in flight (at
  // most kMaxQueued + 2 ever exist).
  BatchPtr fresh() {
    std::lock_guard lk(mu_);
    if (free_.empty()) return std::make_unique<Batch>();
    BatchPtr b = std::move(free_.back());
    free_.pop_back();
    b->clear();
    return b;
  }
  void finish() {
    std::lock_guard lk(mu_);
    done_ = true;
    not_empty_.notify_all();
  }
  // The consumer gave up (a write failed): unblock and stop the producer.
  void close() {
    std::lock_guard lk(mu_);
    closed_ = true;
    not_full_.notify_all();
  }
  bool closed() {
    std::lock_guard lk(mu_);
    return closed_;
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<BatchPtr> q_;
  std::vector<BatchPtr> free_;
  bool done_ = false, closed_ = false;
};

void produce(Queue& q, const std::vector<std::string>& files, const std::string& tenant,
             Micros now) {
  BatchPtr b = q.fresh();
  core::ImportReader parser;
  std::uint64_t done_bytes = 0;
  auto flush = [&] {
    q.push(std::move(b));
    b = q.fresh();
  };
  for (std::size_t fi = 0; fi < files.size(); ++fi) {
    const std::string& file = files[fi];
    b->file = fi;
    auto reader = JsonLinesReader::open(file);
    if (!reader) {
      b->error = reader.error();
      break;
    }
    std::string_view line;
    Error err;
    while (!b->error && reader->next_line(line, err)) {
      if (!err.what.empty()) {
        b->error = err;
        break;
      }
      if (auto r = parser.read(line, tenant, now, b->next(), /*padded=*/true); !r) {
        b->error = Error{file + ":" + std::to_string(reader->line()), r.error().what};
        break;
      }
      ++b->size;
      b->lines.push_back(reader->line());
      if (b->size == kBatch) {
        b->bytes = done_bytes + reader->bytes_read();
        flush();
        b->file = fi;
        if (q.closed()) return;
      }
    }
    if (b->error) break;
    done_bytes += reader->bytes_read();
    b->bytes = done_bytes;
    flush();
  }
  if (b->error || b->size) flush();
  q.finish();
}

// Which line of which file a finding came from, as Import::add's tag.
std::uint64_t line_tag(std::size_t file, std::size_t line) {
  return (std::uint64_t{file} << 40) | line;
}

Error at_line(const std::vector<std::string>& files, std::uint64_t tag, const Error& e) {
  const std::uint64_t line = tag & ((std::uint64_t{1} << 40) - 1);
  return Error{files[tag >> 40] + ":" + std::to_string(line), e.what};
}

}  // namespace

std::uint64_t files_size(const std::vector<std::string>& files) {
  std::uint64_t total = 0;
  for (const auto& f : files) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(f, ec);
    if (!ec) total += size;
  }
  return total;
}

Result<ImportResult> import_files(FindingStore& store, const std::vector<std::string>& files,
                                  const std::string& tenant, Micros now,
                                  const std::function<void(std::uint64_t)>& progress) {
  // Checked here, before the parse thread starts: its fingerprints hold it.
  if (!valid_utf8(tenant)) return Error{"", "the tenant is not valid UTF-8"};
  auto imp = store.begin_import(files_size(files) / kBytesPerFindingGuess);
  if (!imp) return imp.error();
  Queue q;
  std::thread worker([&] { produce(q, files, tenant, now); });
  std::optional<Error> failed;
  while (BatchPtr b = q.pop()) {
    // A bulk import looks each finding up in a table far larger than the
    // caches; asking for a few findings ahead hides most of that wait.
    constexpr std::size_t kAhead = 8;
    for (std::size_t i = 0; i < std::min(kAhead, b->size); ++i)
      imp->prefetch(b->findings[i].finding);
    for (std::size_t i = 0; i < b->size && !failed; ++i) {
      if (i + kAhead < b->size) imp->prefetch(b->findings[i + kAhead].finding);
      const std::uint64_t tag = line_tag(b->file, b->lines[i]);
      if (auto r = imp->add(b->findings[i].finding, b->findings[i].evidence_json, tag); !r)
        failed = at_line(files, imp->failed_tag().value_or(tag), r.error());
    }
    if (!failed && b->error) failed = b->error;
    if (failed) break;
    if (progress) progress(b->bytes);
    q.recycle(std::move(b));
  }
  q.close();
  worker.join();
  if (failed) return *failed;  // `imp` rolls back
  if (auto r = imp->commit(); !r) {
    // A bulk import writes its last held findings at commit.
    if (auto tag = imp->failed_tag()) return at_line(files, *tag, r.error());
    return r.error();
  }
  return ImportResult{imp->added(), imp->bulk()};
}

}  // namespace vigil::store

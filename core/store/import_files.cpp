#include "core/store/import_files.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/finding/finding_import.h"
#include "core/util/jsonl.h"

namespace vigil::store {
namespace {

// Parsing (simdjson, validation, fingerprint) and the SQLite upsert run on
// two threads. Findings travel in
// batches to keep the hand-over cost per finding negligible.
constexpr std::size_t kBatch = 512;
constexpr std::size_t kMaxQueued = 16;  // bounds memory: 16 x 512 findings
// Bulk mode is chosen from the file sizes; generated and real findings run
// 300-600 bytes a line, so this errs towards "fewer findings than that".
constexpr std::uint64_t kBytesPerFindingGuess = 600;

struct Batch {
  std::vector<core::ImportedFinding> findings;
  std::size_t file = 0;            // index into the file list; a batch never spans files
  std::vector<std::size_t> lines;  // line of each finding, for errors
  std::optional<Error> error;      // set on the last batch when a line is bad
  std::uint64_t bytes = 0;         // read so far, for the progress bar
};

class Queue {
 public:
  void push(Batch b) {
    std::unique_lock lk(mu_);
    not_full_.wait(lk, [&] { return q_.size() < kMaxQueued || closed_; });
    if (closed_) return;
    q_.push_back(std::move(b));
    not_empty_.notify_one();
  }
  // Empty optional: the producer is done.
  std::optional<Batch> pop() {
    std::unique_lock lk(mu_);
    not_empty_.wait(lk, [&] { return !q_.empty() || done_; });
    if (q_.empty()) return std::nullopt;
    Batch b = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
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
  std::deque<Batch> q_;
  bool done_ = false, closed_ = false;
};

void produce(Queue& q, const std::vector<std::string>& files, const std::string& tenant,
             Micros now) {
  Batch b;
  core::ImportReader parser;
  std::uint64_t done_bytes = 0;
  auto flush = [&] {
    q.push(std::move(b));
    b = Batch{};
  };
  for (std::size_t fi = 0; fi < files.size(); ++fi) {
    const std::string& file = files[fi];
    b.file = fi;
    auto reader = JsonLinesReader::open(file);
    if (!reader) {
      b.error = reader.error();
      break;
    }
    std::string_view line;
    Error err;
    while (!b.error && reader->next_line(line, err)) {
      if (!err.what.empty()) {
        b.error = err;
        break;
      }
      auto f = parser.read(line, tenant, now);
      if (!f) {
        b.error = Error{file + ":" + std::to_string(reader->line()), f.error().what};
        break;
      }
      b.findings.push_back(std::move(*f));
      b.lines.push_back(reader->line());
      if (b.findings.size() == kBatch) {
        b.bytes = done_bytes + reader->bytes_read();
        flush();
        b.file = fi;
        if (q.closed()) return;
      }
    }
    if (b.error) break;
    done_bytes += reader->bytes_read();
    b.bytes = done_bytes;
    flush();
  }
  if (b.error || !b.findings.empty()) flush();
  q.finish();
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
  auto imp = store.begin_import(files_size(files) / kBytesPerFindingGuess);
  if (!imp) return imp.error();
  Queue q;
  std::thread worker([&] { produce(q, files, tenant, now); });
  std::optional<Error> failed;
  while (auto b = q.pop()) {
    for (std::size_t i = 0; i < b->findings.size() && !failed; ++i)
      if (auto r = imp->add(b->findings[i].finding, b->findings[i].evidence_json); !r)
        failed = Error{files[b->file] + ":" + std::to_string(b->lines[i]), r.error().what};
    if (!failed && b->error) failed = b->error;
    if (failed) break;
    if (progress) progress(b->bytes);
  }
  q.close();
  worker.join();
  if (failed) return *failed;  // `imp` rolls back
  if (auto r = imp->commit(); !r) return r.error();
  return ImportResult{imp->added(), imp->bulk()};
}

}  // namespace vigil::store

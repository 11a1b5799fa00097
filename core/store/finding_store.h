// The findings store: SQLite in WAL mode, one database for many tenants, and
// the tenant in every query (a caller cannot even express a cross-tenant read).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/finding/finding.h"
#include "core/store/held_rows.h"
#include "core/store/row_index.h"
#include "core/store/sqlite.h"

namespace vigil::store {

struct ListFilter {
  std::string tenant;  // required
  std::optional<core::Severity> severity;
  bool severity_or_above = false;  // "high+" on the CLI
  std::string type_prefix;
  std::string asset;  // ip, mac, hostname or host_id, exact
  std::optional<core::Status> status;
  std::optional<Micros> since;  // last_seen >= since
  std::size_t limit = 0;        // 0 = all
};

// A listed row as stored: views into the row (valid only during the visit),
// the JSON columns as text, so output copies them through; bare() copies.
using StoredFinding = core::FindingView;

struct HistoryEntry {
  Micros at = 0;
  std::string by, from, to, note;
};

class FindingStore;

// One import = one transaction. Destroying it without commit() rolls back, so
// a failure anywhere in the file leaves the store as it was.
class Import {
 public:
  Import(Import&&) noexcept;
  ~Import();
  Status add(const core::Finding& f);
  // `evidence_json` (a compact JSON object) is stored as is instead of f.evidence.
  // A bulk import holds new rows back and writes them a window at a time
  // (held_rows.h), so an error may surface at a later add() or at commit():
  // failed_tag() is then the `tag` given with the finding that failed.
  Status add(const core::Finding& f, std::string_view evidence_json, std::uint64_t tag = 0);
  // A hint that `f` comes soon: a bulk import starts loading its slot.
  void prefetch(const core::Finding& f) const;
  Status commit();
  std::size_t added() const { return added_; }
  std::optional<std::uint64_t> failed_tag() const { return failed_tag_; }
  // True when the indexes and index triggers were dropped for this import
  // and are rebuilt by commit() (see begin_import).
  bool bulk() const { return bulk_; }
  // True when this bulk import into an empty store writes through a
  // rollback journal instead of the WAL (see begin_import).
  bool rollback_journal() const { return rollback_journal_; }

 private:
  friend class FindingStore;
  explicit Import(FindingStore& s) : store_(&s) {}
  Status commit_and_rebuild();
  Status add_bulk(const RowValues& v, std::uint64_t tag);
  Status write_row(const RowValues& v, std::int64_t merge_into);
  Status write_held();
  FindingStore* store_;
  bool open_ = true;
  bool rollback_journal_ = false;
  bool bulk_ = false;
  std::size_t added_ = 0;
  std::vector<std::string> deferred_schema_;  // CREATE INDEX/TRIGGER statements to replay
  RowIndex rows_;                             // bulk: (tenant, id) -> rowid, or -held row
  HeldRows held_;                             // bulk: new rows not yet written
  std::optional<std::uint64_t> failed_tag_;
  std::string refs_buf_, fields_buf_;  // reused by add(): no allocation per row
};

class FindingStore {
 public:
  static constexpr int kSchemaVersion = 4;

  // Creates the file when missing, applies forward migrations (PRAGMA user_version).
  static Result<std::unique_ptr<FindingStore>> open(const std::string& path);

  // `expected` is how many findings the caller thinks it will add (0 = do
  // not know). A large import into a store that is small next to it runs in
  // bulk mode: the indexes and the triggers that keep the look-up tables
  // are dropped inside the transaction, and commit() refills the tables and
  // rebuilds the indexes (far cheaper than a million random inserts); a
  // rollback brings them back untouched. Into an empty store it also
  // bypasses the WAL for that one transaction (WAL is back after it).
  static constexpr std::uint64_t kBulkMinimum = 50000;
  // `held_window`: bytes of new rows a bulk import holds back to write them
  // in time order (held_rows.h; tests make it small).
  Result<Import> begin_import(std::uint64_t expected = 0,
                              std::size_t held_window = HeldRows::kWindowBytes);
  Result<std::vector<core::Finding>> list(const ListFilter& filter);
  // Same rows, same order, handed to `visit` one at a time without decoding
  // the JSON columns (what `findings list` prints from).
  Status visit(const ListFilter& filter, const std::function<void(const StoredFinding&)>& visit);
  // For exports: the same rows, each turned into bytes by
  // `render(row, index, out)` (index: its place in the list, from 0; appends
  // to `out`) and handed to `write` in list order, in pieces. A long list
  // whose filters are all in finding_times is fetched and rendered by
  // `readers` extra connections at once, each reading the snapshot this one
  // reads (see list_render.cpp): `render` must then be safe to call from
  // several threads. `readers` <= 1 renders on this connection only.
  using RenderRow = std::function<void(const StoredFinding&, std::size_t, std::string&)>;
  Status render(const ListFilter& filter, unsigned readers, const RenderRow& render,
                const std::function<void(std::string_view)>& write);
  Result<std::optional<core::Finding>> get(const std::string& tenant, const std::string& id);
  Result<std::int64_t> count(const std::string& tenant);
  // Records (when, who, from, to, note) in the audit table in the same transaction.
  Status set_status(const std::string& tenant, const std::string& id, core::Status to,
                    const std::string& note, const std::string& by);
  Result<std::vector<HistoryEntry>> history(const std::string& tenant, const std::string& id);

 private:
  friend class Import;
  explicit FindingStore(Db db) : db_(std::move(db)) {}
  Status migrate();
  Status prepare_all();
  Result<bool> use_rollback_journal();
  void restore_wal();
  Db db_;
  Stmt insert_, update_at_, key_at_, row_of_, begin_, begin_exclusive_, commit_, rollback_;
};

}  // namespace vigil::store

#include "core/store/lookup_tables.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/store/row_index.h"

namespace vigil::store {
namespace {

// Tenants, types and asset keys repeat across rows: each distinct string is
// kept once and rows refer to it by number. rank() orders the numbers as
// SQLite's BINARY collation orders the strings (memcmp, then length).
class Strings {
 public:
  std::uint32_t add(std::string_view s) {
    // The bulk import's RowIndex serves as the hash table: entry n + 1
    // stands for string n (0 is its "empty").
    const std::uint64_t h = std::hash<std::string_view>{}(s);
    if (const std::int64_t n = index_.find(h, [&](std::int64_t n) { return all_[n - 1] == s; }))
      return static_cast<std::uint32_t>(n - 1);
    all_.emplace_back(s);
    index_.add(h, static_cast<std::int64_t>(all_.size()));
    return static_cast<std::uint32_t>(all_.size() - 1);
  }
  const std::string& operator[](std::uint32_t i) const { return all_[i]; }
  struct Ranks {
    std::vector<std::uint32_t> of;    // rank -> string number
    std::vector<std::uint32_t> rank;  // string number -> rank
  };
  Ranks ranks() const {
    Ranks r{std::vector<std::uint32_t>(all_.size()), std::vector<std::uint32_t>(all_.size())};
    for (std::uint32_t i = 0; i < r.of.size(); ++i) r.of[i] = i;
    std::sort(r.of.begin(), r.of.end(),
              [&](std::uint32_t a, std::uint32_t b) { return all_[a] < all_[b]; });
    for (std::uint32_t i = 0; i < r.of.size(); ++i) r.rank[r.of[i]] = i;
    return r;
  }

 private:
  // Open addressing, not std::unordered_map: its prime modulo and node
  // chasing were most of a million-row refill's scan.
  RowIndex index_;
  std::deque<std::string> all_;  // stable: rows and bindings refer to these
};

struct TimeRow {
  std::uint32_t tenant, type;  // string numbers, then ranks once sorted
  std::int64_t last_seen, rid, severity;
};

struct AssetRow {
  std::uint32_t tenant, key;
  std::int64_t rid;
};

struct KeyRow {
  std::uint32_t tenant, id_at, id_size;  // the id is in Chunk::ids
  std::uint64_t id_head;                 // its first 8 bytes, big-endian: most compares end here
  std::int64_t rid;
};

std::uint64_t head(std::string_view s) {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < 8; ++i)
    h = h << 8 | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0u);
  return h;
}

// As the view finding_asset_keys makes them: SQLite's lower() folds ASCII only.
std::string_view asset_key(std::string& k, char kind, std::string_view v, bool fold) {
  k.assign({kind, ':'});
  k += v;
  if (fold)
    for (std::size_t i = 2; i < k.size(); ++i)
      if (k[i] >= 'A' && k[i] <= 'Z') k[i] = static_cast<char>(k[i] - 'A' + 'a');
  return k;
}

// Rows go in by groups of kGroup per statement: running a statement costs
// more than inserting one narrow row (1.2 against 0.4 us). 256 rows per
// statement took 8% less than 64 (at most 1,280 parameters).
template <class Row, class Bind>
Status insert_sorted(Db& db, const char* table, int columns, const std::vector<Row>& rows,
                     Bind bind) {
  constexpr std::size_t kGroup = 256;
  auto statement = [&](std::size_t n) {
    std::string sql = std::string("INSERT INTO ") + table + " VALUES ";
    for (std::size_t r = 0; r < n; ++r) {
      sql += r ? ",(" : "(";
      for (int c = 0; c < columns; ++c) sql += c ? ",?" : "?";
      sql += ')';
    }
    return db.prepare(sql);
  };
  std::size_t i = 0;
  if (rows.size() >= kGroup) {
    auto group = statement(kGroup);
    if (!group) return group.error();
    for (; i + kGroup <= rows.size(); i += kGroup) {
      for (std::size_t r = 0; r < kGroup; ++r)
        bind(*group, static_cast<int>(r) * columns + 1, rows[i + r]);
      if (auto r = group->run(); !r) return r;
    }
  }
  if (i == rows.size()) return ok_status();
  auto rest = statement(rows.size() - i);
  if (!rest) return rest.error();
  for (std::size_t r = 0; i + r < rows.size(); ++r)
    bind(*rest, static_cast<int>(r) * columns + 1, rows[i + r]);
  return rest->run();
}

class Chunk {
 public:
  Chunk(Strings& strings, std::size_t rows) : strings_(strings) {
    // Sized once: growing by doubling copied and faulted in each vector
    // several times over.
    times_.reserve(rows);
    assets_.reserve(2 * rows);
    keys_.reserve(rows);
    ids_.reserve(64 * rows);
  }
  std::size_t size() const { return times_.size(); }

  // One row of `findings` as selected by refill_lookup_tables().
  void add(const Stmt& row) {
    const std::int64_t rid = row.int64(0), last_seen = row.int64(2);
    const std::uint32_t tenant = strings_.add(row.text_view(1));
    times_.push_back({tenant, strings_.add(row.text_view(4)), last_seen, rid, row.int64(3)});
    static constexpr struct {
      int col;
      char kind;
      bool fold;
    } kKinds[] = {{5, 'i', false}, {6, 'm', true}, {7, 'n', true}, {8, 'h', false}};
    for (const auto& k : kKinds)
      if (const std::string_view v = row.text_view(k.col); !v.empty())
        assets_.push_back({tenant, strings_.add(asset_key(key_, k.kind, v, k.fold)), rid});
    const std::string_view id = row.text_view(9);
    keys_.push_back({tenant, static_cast<std::uint32_t>(ids_.size()),
                     static_cast<std::uint32_t>(id.size()), head(id), rid});
    ids_ += id;
  }

  Status flush(Db& db) {
    // String numbers become ranks, so that the sorts compare integers.
    const Strings::Ranks ranks = strings_.ranks();
    for (TimeRow& t : times_) t.tenant = ranks.rank[t.tenant], t.type = ranks.rank[t.type];
    for (AssetRow& a : assets_) a.tenant = ranks.rank[a.tenant], a.key = ranks.rank[a.key];
    for (KeyRow& k : keys_) k.tenant = ranks.rank[k.tenant];
    auto text = [&](std::uint32_t rank) -> const std::string& { return strings_[ranks.of[rank]]; };
    auto id = [&](const KeyRow& k) { return std::string_view(ids_).substr(k.id_at, k.id_size); };
    std::sort(times_.begin(), times_.end(), [](const TimeRow& a, const TimeRow& b) {
      return std::tie(a.tenant, a.last_seen, a.rid) < std::tie(b.tenant, b.last_seen, b.rid);
    });
    std::sort(assets_.begin(), assets_.end(), [](const AssetRow& a, const AssetRow& b) {
      return std::tie(a.tenant, a.key, a.rid) < std::tie(b.tenant, b.key, b.rid);
    });
    std::sort(keys_.begin(), keys_.end(), [&](const KeyRow& a, const KeyRow& b) {
      if (a.tenant != b.tenant) return a.tenant < b.tenant;
      return a.id_head != b.id_head ? a.id_head < b.id_head : id(a) < id(b);
    });
    auto r = insert_sorted(db, "finding_times", 5, times_, [&](Stmt& st, int p, const TimeRow& t) {
      st.bind_ref(p, text(t.tenant))
          .bind(p + 1, t.last_seen)
          .bind(p + 2, t.rid)
          .bind(p + 3, t.severity)
          .bind_ref(p + 4, text(t.type));
    });
    if (r)
      r = insert_sorted(db, "finding_assets", 3, assets_, [&](Stmt& st, int p, const AssetRow& a) {
        st.bind_ref(p, text(a.tenant)).bind_ref(p + 1, text(a.key)).bind(p + 2, a.rid);
      });
    if (r)
      r = insert_sorted(db, "finding_keys", 3, keys_, [&](Stmt& st, int p, const KeyRow& k) {
        st.bind_ref(p, text(k.tenant)).bind_ref(p + 1, id(k)).bind(p + 2, k.rid);
      });
    times_.clear();
    assets_.clear();
    keys_.clear();
    ids_.clear();
    return r;
  }

 private:
  Strings& strings_;
  std::vector<TimeRow> times_;
  std::vector<AssetRow> assets_;
  std::vector<KeyRow> keys_;
  std::string ids_, key_;
};

}  // namespace

// A chunk of rows at a time keeps memory bounded on stores of any size.
// Each chunk goes in key order; later chunks interleave with earlier ones,
// still in order within.
Status refill_lookup_tables(Db& db, std::size_t chunk_rows) {
  auto scan = db.prepare(
      "SELECT rowid, tenant, last_seen, severity, type, asset_ip, asset_mac, asset_hostname, "
      "asset_host_id, id FROM findings");
  if (!scan) return scan.error();
  auto count = db.prepare("SELECT coalesce(max(rowid), 0) FROM findings");
  if (!count) return count.error();
  if (auto r = count->step(); !r) return r.error();
  const auto rows = static_cast<std::size_t>(std::max<std::int64_t>(count->int64(0), 0));
  count->reset();
  Strings strings;
  Chunk chunk(strings, std::min(rows, chunk_rows));
  for (;;) {
    auto row = scan->step();
    if (!row) return row.error();
    if (!*row) break;
    chunk.add(*scan);
    if (chunk.size() >= chunk_rows)
      if (auto r = chunk.flush(db); !r) return r;
  }
  scan->reset();
  return chunk.flush(db);
}

}  // namespace vigil::store

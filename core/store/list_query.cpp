#include "core/store/list_query.h"

#include <arpa/inet.h>

#include <cctype>

namespace vigil::store {

namespace {

// Smallest string greater than every string starting with `prefix`, for an
// index range scan instead of LIKE (whose wildcards would need escaping).
std::optional<std::string> prefix_upper_bound(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char c = static_cast<unsigned char>(prefix.back());
    if (c < 0xff) {
      prefix.back() = static_cast<char>(c + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return std::nullopt;
}

enum class AssetKind { ip, mac, name };

AssetKind asset_kind(const std::string& v) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, v.c_str(), buf) == 1 || inet_pton(AF_INET6, v.c_str(), buf) == 1)
    return AssetKind::ip;
  if (v.size() == 17) {
    bool mac = true;
    for (std::size_t i = 0; i < 17; ++i)
      mac = mac && (i % 3 == 2 ? (v[i] == ':' || v[i] == '-')
                               : std::isxdigit(static_cast<unsigned char>(v[i])));
    if (mac) return AssetKind::mac;
  }
  return AssetKind::name;
}

}  // namespace

core::FindingView row_view(const Stmt& s) {
  core::FindingView v;
  v.tenant = s.text_view(0);
  v.id = s.text_view(1);
  v.schema_version = static_cast<int>(s.int64(2));
  v.source = core::parse_source(s.text_view(3)).value_or(core::Source::scanner);
  v.type = s.text_view(4);
  v.severity = static_cast<core::Severity>(s.int64(5));
  v.confidence = s.real(6);
  v.title = s.text_view(7);
  v.description = s.text_view(8);
  v.ip = s.text_view(9);
  v.mac = s.text_view(10);
  v.hostname = s.text_view(11);
  v.host_id = s.text_view(12);
  v.evidence_json = s.text_view(13);
  v.fingerprint_fields_json = s.text_view(14);
  v.references_json = s.text_view(15);
  v.first_seen = s.int64(16);
  v.last_seen = s.int64(17);
  v.count = static_cast<std::uint64_t>(s.int64(18));
  v.status = core::parse_status(s.text_view(19)).value_or(core::Status::open_new);
  return v;
}

bool filters_in_times(const ListFilter& f) {
  return f.asset.empty() && !f.status;
}

std::string list_sql(const ListFilter& f, bool rowids_only) {
  // Fixed SQL text per filter combination; every value goes through a bound
  // parameter. Each query names its access path (see migration 4), newest
  // first with ties most recently stored first, and stops at the limit:
  // - an asset: its entries in finding_assets, then a sort of those rows;
  // - a status other than new: the partial status index;
  // - else: a walk of finding_times, filtered on severity, type and time
  //   there, before any wide row is read.
  const bool by_asset = !f.asset.empty();
  const bool by_status = !by_asset && f.status && *f.status != core::Status::open_new;
  const bool by_time = !by_asset && !by_status;
  std::string sql = "SELECT ";
  if (rowids_only) {
    // Nothing but finding_times: filters_in_times(f) holds.
    sql += "t.rid FROM finding_times AS t WHERE t.tenant = ?1";
  } else {
    sql += kColumns;
    if (by_asset) {
      sql +=
          " FROM findings AS f WHERE f.rowid IN (SELECT rid FROM finding_assets WHERE tenant = ?1";
      // The shape of the value picks the kind of identifier, as the keys
      // were made in finding_asset_keys.
      switch (asset_kind(f.asset)) {
        case AssetKind::ip:
          sql += " AND asset = 'i:' || ?5)";
          break;
        case AssetKind::mac:
          sql += " AND asset = 'm:' || lower(?5))";
          break;
        case AssetKind::name:
          sql += " AND asset IN ('n:' || lower(?5), 'h:' || ?5))";
          break;
      }
    } else if (by_status) {
      sql += " FROM findings AS f INDEXED BY findings_by_status WHERE f.status <> 'new'";
    } else {
      sql +=
          " FROM finding_times AS t CROSS JOIN findings AS f ON f.rowid = t.rid "
          "WHERE t.tenant = ?1";
    }
    sql += " AND f.tenant = ?1";
  }
  const char* c = by_time ? " AND t." : " AND f.";  // where the filters read
  if (f.severity)
    sql += std::string(c) + (f.severity_or_above ? "severity >= ?2" : "severity = ?2");
  if (!f.type_prefix.empty())
    sql +=
        std::string(c) + "type >= ?3 AND (?4 IS NULL OR " + (by_time ? "t" : "f") + ".type < ?4)";
  if (f.status) sql += " AND f.status = ?6";
  if (f.since) sql += std::string(c) + "last_seen >= ?7";
  sql += by_time ? " ORDER BY t.last_seen DESC, t.rid DESC LIMIT ?8"
                 : " ORDER BY f.last_seen DESC, f.rowid DESC LIMIT ?8";
  return sql;
}

void bind_list(Stmt& s, const ListFilter& f) {
  s.bind(1, f.tenant);
  if (f.severity) s.bind(2, std::int64_t{static_cast<int>(*f.severity)});
  if (!f.type_prefix.empty()) {
    s.bind(3, f.type_prefix);
    if (auto ub = prefix_upper_bound(f.type_prefix))
      s.bind(4, *ub);
    else
      s.bind_null(4);
  }
  if (!f.asset.empty()) s.bind(5, f.asset);
  if (f.status) s.bind(6, core::to_string(*f.status));
  if (f.since) s.bind(7, *f.since);
  s.bind(8, f.limit ? static_cast<std::int64_t>(f.limit) : std::int64_t{-1});
}

std::string listed_rows_sql() {
  return std::string("SELECT ") + kColumns +
         ", f.rowid FROM json_each(?1) AS j CROSS JOIN findings AS f ON f.rowid = j.value "
         "WHERE f.tenant = ?2";
}

}  // namespace vigil::store

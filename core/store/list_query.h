// The SQL of a findings list, shared by FindingStore::visit (one connection)
// and FindingStore::render (several connections reading in parallel).
#pragma once

#include <string>

#include "core/finding/finding.h"
#include "core/store/finding_store.h"
#include "core/store/sqlite.h"

namespace vigil::store {

// Every column of `findings AS f`, in the order row_view() reads them.
inline constexpr const char* kColumns =
    "f.tenant, f.id, f.schema_version, f.source, f.type, f.severity, f.confidence, f.title, "
    "f.description, f.asset_ip, f.asset_mac, f.asset_hostname, f.asset_host_id, f.evidence, "
    "f.fingerprint_fields, f.refs, f.first_seen, f.last_seen, f.count, f.status";

// The row a statement selecting kColumns is on: views into SQLite's buffers,
// valid until its next step or reset.
core::FindingView row_view(const Stmt& s);

// True when every condition of `f` is judged in finding_times (no asset, no
// status): the listed rowids are then known before any wide row is read.
bool filters_in_times(const ListFilter& f);

// The list query for `f`: kColumns of each listed row, newest first, or with
// `rowids_only` (needs filters_in_times) only the rowid of each.
std::string list_sql(const ListFilter& f, bool rowids_only);
// Binds the values of `f` to a statement made from list_sql().
void bind_list(Stmt& s, const ListFilter& f);

// kColumns, then the rowid, of each row whose rowid is in the JSON array ?1,
// in the array's order, when it is tenant ?2's: one cursor looks them up.
std::string listed_rows_sql();

}  // namespace vigil::store

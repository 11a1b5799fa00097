// The findings store's look-up tables (finding_keys, finding_times,
// finding_assets; see migration 4), refilled from the rows when a bulk
// import or the upgrade to schema 4 has bypassed the triggers that
// normally keep them.
#pragma once

#include <cstddef>

#include "core/store/sqlite.h"

namespace vigil::store {

// Fills the (empty) look-up tables from every row of `findings`, inside the
// caller's transaction. The keys are sorted here first: a WITHOUT ROWID table
// filled in key order costs ~0.4 us a row, in the table's (random) order
// ~2 us, and SQLite's own sort for CREATE INDEX ~1.2 us.
// `chunk_rows` rows are sorted at a time (memory: ~120 bytes a row).
Status refill_lookup_tables(Db& db, std::size_t chunk_rows = std::size_t{1} << 20);

}  // namespace vigil::store

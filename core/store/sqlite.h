// A thin RAII layer over SQLite: prepared statements with bound parameters
// only (no SQL is ever built from data), errors as values.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/result.h"

namespace vigil::store {

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  ~Stmt();

  // Parameters are 1-based, as in SQLite.
  Stmt& bind(int i, std::string_view v);
  // No copy: `v` must stay alive and unchanged until the next reset().
  Stmt& bind_ref(int i, std::string_view v);
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, double v);
  Stmt& bind_null(int i);
  // SQLITE_ROW -> true, SQLITE_DONE -> false, error -> Error.
  Result<bool> step();
  Status run();  // step until done
  void reset();

  std::int64_t int64(int col) const { return sqlite3_column_int64(s_, col); }
  double real(int col) const { return sqlite3_column_double(s_, col); }
  std::string text(int col) const;
  // Valid until the next step() or reset().
  std::string_view text_view(int col) const;
  bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
};

class Db {
 public:
  static Result<Db> open(const std::string& path, bool create);
  Db(Db&& o) noexcept : db_(o.db_), path_(std::move(o.path_)) { o.db_ = nullptr; }
  Db& operator=(Db&&) = delete;
  ~Db();

  Result<Stmt> prepare(std::string_view sql);
  Status exec(const char* sql);  // for fixed DDL/pragmas only, never data
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  Error error(const std::string& what) const;
  sqlite3* raw() { return db_; }
  const std::string& path() const { return path_; }

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

}  // namespace vigil::store

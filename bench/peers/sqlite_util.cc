#include "peers/sqlite_util.h"

namespace tks::bench::sqlite {

Status Check(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) {
    return Status::Ok();
  }
  if (rc == SQLITE_CONSTRAINT) return Conflict(std::string(what));
  return Internal(std::string(what) + ": " +
                  (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

Result<Db> Open(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Db db(raw);
  TKS_RETURN_IF_ERROR(Check(db.get(), rc, "open " + path));
  sqlite3_busy_timeout(db.get(), 10000);
  return db;
}

Status Exec(sqlite3* db, const std::string& sql) {
  return Check(db, sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr),
               "exec");
}

Result<Stmt> Prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(
      db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  Stmt stmt(raw);
  TKS_RETURN_IF_ERROR(Check(db, rc, "prepare"));
  return stmt;
}

void BindText(sqlite3_stmt* stmt, int index, std::string_view text) {
  sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()),
                    SQLITE_STATIC);
}

std::string_view ColumnText(sqlite3_stmt* stmt, int index) {
  const auto* text =
      reinterpret_cast<const char*>(sqlite3_column_text(stmt, index));
  if (text == nullptr) return {};
  return {text, static_cast<size_t>(sqlite3_column_bytes(stmt, index))};
}

void ReadFields(sqlite3_stmt* stmt, int first, Record* out) {
  for (size_t i = 0; i < kFieldCount; ++i) {
    out->fields[i].assign(ColumnText(stmt, first + static_cast<int>(i)));
  }
}

}  // namespace tks::bench::sqlite

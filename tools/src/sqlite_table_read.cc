// Reading an SDK token table from a SQLite file.
#include <sys/stat.h>

#include <array>

#include "sqlite_handle.h"
#include "tokenstore/tools/sqlite_table.h"

namespace tks::tools {
namespace {

// The table's column name for each field; INVALID_ARGUMENT naming the
// first SDK column the table lacks.
Result<std::array<std::string, kFieldCount>> SdkColumns(
    sqlite3* db, const std::string& table) {
  // Step 1: the table's columns.
  TKS_ASSIGN_OR_RETURN(
      sqlite::Stmt stmt,
      sqlite::Prepare(db, "SELECT name FROM pragma_table_info(?1)"));
  sqlite3_bind_text(stmt.get(), 1, table.data(), static_cast<int>(table.size()),
                    SQLITE_TRANSIENT);
  std::array<std::string, kFieldCount> columns;
  bool any = false;
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    any = true;
    const char* name =
        reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
    if (name == nullptr) continue;
    if (auto field = FieldFromName(name)) {
      columns[static_cast<size_t>(*field)] = name;
    }
  }
  if (rc != SQLITE_DONE) return sqlite::Error(db, "reading the schema");
  if (!any) return InvalidArgument("no table '" + table + "'");

  // Step 2: all ten present.
  for (Field field : kAllFields) {
    if (columns[static_cast<size_t>(field)].empty()) {
      return InvalidArgument("table '" + table +
                             "' is not an SDK token table: no column " +
                             std::string(FieldName(field)));
    }
  }
  return columns;
}

std::string SelectSql(const std::array<std::string, kFieldCount>& columns,
                      const std::string& table) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += "\"" + columns[i] + "\"";
  }
  return sql + " FROM \"" + table + "\" ORDER BY rowid";
}

// One row as a token: NULL is null, anything else its bytes.
Token RowToken(sqlite3_stmt* stmt) {
  Token token;
  for (Field field : kAllFields) {
    const int column = static_cast<int>(field);
    if (sqlite3_column_type(stmt, column) == SQLITE_NULL) continue;
    const auto* bytes =
        static_cast<const char*>(sqlite3_column_blob(stmt, column));
    const int size = sqlite3_column_bytes(stmt, column);
    token.set(field, std::string_view(bytes == nullptr ? "" : bytes,
                                      static_cast<size_t>(size)));
  }
  return token;
}

}  // namespace

Result<std::vector<SdkRow>> ReadSqliteTable(const std::string& path,
                                            const std::string& table) {
  // Step 1: the file and the table name.
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    return NotFound("no such file: " + path);
  }
  if (!sqlite::IsPlainIdentifier(table)) {
    return InvalidArgument("table name must be letters, digits and '_'");
  }
  TKS_ASSIGN_OR_RETURN(sqlite::Db db, sqlite::Open(path, SQLITE_OPEN_READONLY));

  // Step 2: the schema; a file that is no database says so.
  auto columns = SdkColumns(db.get(), table);
  if (!columns.ok()) {
    const int code = sqlite3_errcode(db.get());
    if (code == SQLITE_NOTADB) {
      return InvalidArgument(path + " is not a SQLite database");
    }
    return Status(columns.status().code(),
                  path + ": " + columns.status().message());
  }

  // Step 3: the rows in insertion order.
  TKS_ASSIGN_OR_RETURN(sqlite::Stmt stmt,
                       sqlite::Prepare(db.get(), SelectSql(*columns, table)));
  std::vector<SdkRow> rows;
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    SdkRow row{RowToken(stmt.get()), rows.size() + 1};
    Status valid = ValidateToken(row.token);
    if (!valid.ok()) {
      return Status(valid.code(), path + ": row " + std::to_string(row.line) +
                                      ": " + valid.message());
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) return sqlite::Error(db.get(), "reading rows");
  return rows;
}

}  // namespace tks::tools

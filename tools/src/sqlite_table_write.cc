// Writing an SDK token table into a new SQLite file.
#include <unistd.h>

#include "private_file.h"
#include "sqlite_handle.h"
#include "tokenstore/redact.h"
#include "tokenstore/tools/sqlite_table.h"

namespace tks::tools {
namespace {

std::string CreateTableSql(const std::string& table) {
  return "CREATE TABLE \"" + table +
         "\" (id varchar(10) NOT NULL, user_name varchar(255), "
         "client_id varchar(255), client_secret varchar(255), "
         "refresh_token varchar(255), access_token varchar(255), "
         "grant_token varchar(255), expiry_time varchar(20), "
         "redirect_url varchar(255), api_domain varchar(255), "
         "primary key (id))";
}

std::string InsertSql(const std::string& table) {
  return "INSERT INTO \"" + table +
         "\" (id, user_name, client_id, client_secret, refresh_token, "
         "access_token, grant_token, expiry_time, redirect_url, api_domain)"
         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
}

// Binds the ten fields (redacted unless `reveal`) and runs the insert.
Status InsertRow(sqlite3* db, sqlite3_stmt* insert, const Token& token,
                 bool reveal) {
  sqlite3_reset(insert);
  for (Field field : kAllFields) {
    const int column = static_cast<int>(field) + 1;
    if (!token.has(field)) {
      sqlite3_bind_null(insert, column);
      continue;
    }
    std::string shown = (reveal || !IsSecretField(field))
                            ? std::string(token.view(field))
                            : RedactValue(token.view(field));
    sqlite3_bind_text(insert, column, shown.data(),
                      static_cast<int>(shown.size()), SQLITE_TRANSIENT);
    crypto::Wipe(shown.data(), shown.size());
  }
  if (sqlite3_step(insert) != SQLITE_DONE) {
    return sqlite::Error(db, "insert of record id " + std::string(token.id()));
  }
  return Status::Ok();
}

Result<size_t> WriteAll(const std::string& path, const std::string& table,
                        bool reveal, const TokenSource& next) {
  // Step 1: schema, inside one transaction with the rows.
  TKS_ASSIGN_OR_RETURN(sqlite::Db db,
                       sqlite::Open(path, SQLITE_OPEN_READWRITE));
  TKS_RETURN_IF_ERROR(sqlite::Exec(db.get(), "BEGIN"));
  TKS_RETURN_IF_ERROR(sqlite::Exec(db.get(), CreateTableSql(table).c_str()));

  // Step 2: every row.
  TKS_ASSIGN_OR_RETURN(sqlite::Stmt insert,
                       sqlite::Prepare(db.get(), InsertSql(table)));
  size_t rows = 0;
  while (true) {
    TKS_ASSIGN_OR_RETURN(std::optional<Token> token, next());
    if (!token) break;
    TKS_RETURN_IF_ERROR(InsertRow(db.get(), insert.get(), *token, reveal));
    ++rows;
  }
  insert.reset();

  // Step 3: commit.
  TKS_RETURN_IF_ERROR(sqlite::Exec(db.get(), "COMMIT"));
  return rows;
}

}  // namespace

Result<size_t> WriteSqliteTable(const std::string& path,
                                const std::string& table, bool reveal,
                                const TokenSource& next) {
  // Step 1: a new, private, empty file.
  if (!sqlite::IsPlainIdentifier(table)) {
    return InvalidArgument("table name must be letters, digits and '_'");
  }
  {
    TKS_ASSIGN_OR_RETURN(PrivateFile file, PrivateFile::Create(path));
    TKS_RETURN_IF_ERROR(file.Close());
  }

  // Step 2: fill it; a failure leaves no half-written file behind.
  auto rows = WriteAll(path, table, reveal, next);
  if (!rows.ok()) {
    ::unlink(path.c_str());
    ::unlink((path + "-journal").c_str());
  }
  return rows;
}

}  // namespace tks::tools

// Writing an SDK token table into MySQL/MariaDB.
#include <array>

#include "mysql_conn.h"
#include "tokenstore/redact.h"
#include "tokenstore/tools/mysql_table.h"

namespace tks::tools {
namespace {

std::string CreateTableSql(const std::string& table) {
  return "CREATE TABLE IF NOT EXISTS `" + table +
         "` (id varchar(10) NOT NULL, user_name varchar(255), "
         "client_id varchar(255), client_secret varchar(255), "
         "refresh_token varchar(255), access_token varchar(255), "
         "grant_token varchar(255), expiry_time varchar(20), "
         "redirect_url varchar(255), api_domain varchar(255), "
         "primary key (id))";
}

std::string InsertSql(const std::string& table) {
  return "INSERT INTO `" + table +
         "` (id, user_name, client_id, client_secret, refresh_token, "
         "access_token, grant_token, expiry_time, redirect_url, api_domain)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
}

// CONFLICT-free start: the table must be empty.
Status CheckEmpty(MYSQL* conn, const std::string& table) {
  TKS_RETURN_IF_ERROR(
      mysql::Query(conn, "SELECT COUNT(*) FROM `" + table + "`"));
  mysql::ResultSet result(mysql_store_result(conn));
  if (!result) return mysql::Error(conn, "counting rows");
  MYSQL_ROW row = mysql_fetch_row(result.get());
  if (row == nullptr || row[0] == nullptr) {
    return mysql::Error(conn, "counting rows");
  }
  if (std::string_view(row[0]) != "0") {
    return InvalidArgument("table '" + table +
                           "' already holds rows; export into an empty or "
                           "new table");
  }
  return Status::Ok();
}

// Binds the ten fields (redacted unless `reveal`) and runs the insert.
Status InsertRow(MYSQL_STMT* insert, const Token& token, bool reveal) {
  std::array<crypto::SecretString, kFieldCount> shown;
  std::array<unsigned long, kFieldCount> lengths{};
  std::array<my_bool, kFieldCount> nulls{};
  std::array<MYSQL_BIND, kFieldCount> binds{};
  for (Field field : kAllFields) {
    const size_t i = static_cast<size_t>(field);
    nulls[i] = !token.has(field);
    if (token.has(field)) {
      shown[i] = (reveal || !IsSecretField(field))
                     ? crypto::SecretString(token.view(field))
                     : crypto::SecretString(RedactValue(token.view(field)));
    }
    lengths[i] = shown[i].size();
    binds[i].buffer_type = MYSQL_TYPE_STRING;
    binds[i].buffer = shown[i].data();
    binds[i].buffer_length = lengths[i];
    binds[i].length = &lengths[i];
    binds[i].is_null = &nulls[i];
  }
  if (mysql_stmt_bind_param(insert, binds.data()) != 0) {
    return mysql::StmtError(insert, "bind");
  }
  if (mysql_stmt_execute(insert) != 0) {
    return mysql::StmtError(insert,
                            "insert of record id " + std::string(token.id()));
  }
  return Status::Ok();
}

}  // namespace

Result<size_t> WriteMysqlTable(const MysqlTarget& target, bool reveal,
                               const TokenSource& next) {
  // Step 1: the table, created if missing, and empty.
  TKS_ASSIGN_OR_RETURN(mysql::Conn conn, mysql::Connect(target));
  TKS_RETURN_IF_ERROR(mysql::Query(conn.get(), CreateTableSql(target.table)));
  TKS_RETURN_IF_ERROR(mysql::CheckSdkColumns(conn.get(), target));
  TKS_RETURN_IF_ERROR(CheckEmpty(conn.get(), target.table));

  // Step 2: every row through one prepared statement, one transaction.
  mysql::Stmt insert(mysql_stmt_init(conn.get()));
  if (!insert) return mysql::Error(conn.get(), "statement");
  const std::string sql = InsertSql(target.table);
  if (mysql_stmt_prepare(insert.get(), sql.data(), sql.size()) != 0) {
    return mysql::StmtError(insert.get(), "prepare");
  }
  size_t rows = 0;
  Status status;
  while (status.ok()) {
    auto token = next();
    if (!token.ok()) {
      status = token.status();
      break;
    }
    if (!token->has_value()) break;
    status = InsertRow(insert.get(), **token, reveal);
    if (status.ok()) ++rows;
  }

  // Step 3: all or nothing.
  if (!status.ok()) {
    mysql_rollback(conn.get());
    return status;
  }
  if (mysql_commit(conn.get()) != 0) {
    return mysql::Error(conn.get(), "commit");
  }
  return rows;
}

}  // namespace tks::tools

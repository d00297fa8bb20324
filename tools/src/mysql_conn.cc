#include "mysql_conn.h"

#include <array>

#include "sqlite_handle.h"

namespace tks::tools::mysql {

Status Error(MYSQL* conn, std::string_view what) {
  std::string message = "mysql: " + std::string(what);
  if (conn != nullptr) message += ": " + std::string(mysql_error(conn));
  return Internal(message);
}

Status StmtError(MYSQL_STMT* stmt, std::string_view what) {
  return Internal("mysql: " + std::string(what) + ": " +
                  std::string(mysql_stmt_error(stmt)));
}

Result<Conn> Connect(const MysqlTarget& target) {
  // Step 1: names that go into SQL must be plain.
  if (!sqlite::IsPlainIdentifier(target.database) ||
      !sqlite::IsPlainIdentifier(target.table)) {
    return InvalidArgument(
        "database and table names must be letters, digits and '_'");
  }

  // Step 2: connect; the password is only handed to the library.
  Conn conn(mysql_init(nullptr));
  if (!conn) return Internal("mysql: out of memory");
  mysql_options(conn.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
  const bool by_socket = !target.socket.empty();
  if (mysql_real_connect(conn.get(), by_socket ? nullptr : target.host.c_str(),
                         target.user.c_str(), target.password.c_str(),
                         target.database.c_str(), by_socket ? 0 : target.port,
                         by_socket ? target.socket.c_str() : nullptr,
                         0) == nullptr) {
    return Error(conn.get(), "cannot connect");
  }
  if (mysql_autocommit(conn.get(), 0) != 0) {
    return Error(conn.get(), "autocommit off");
  }
  return conn;
}

Status Query(MYSQL* conn, const std::string& sql) {
  if (mysql_real_query(conn, sql.data(), sql.size()) != 0) {
    return Error(conn, "query");
  }
  return Status::Ok();
}

Status CheckSdkColumns(MYSQL* conn, const MysqlTarget& target) {
  // Step 1: the table's column names.
  constexpr unsigned kNoSuchTable = 1146;  // ER_NO_SUCH_TABLE
  Status shown = Query(conn, "SHOW COLUMNS FROM `" + target.table + "`");
  if (!shown.ok() && mysql_errno(conn) == kNoSuchTable) {
    return InvalidArgument("no table '" + target.table + "' in database " +
                           target.database);
  }
  TKS_RETURN_IF_ERROR(shown);
  ResultSet result(mysql_store_result(conn));
  if (!result) return Error(conn, "reading the schema");
  std::array<bool, kFieldCount> present{};
  while (MYSQL_ROW row = mysql_fetch_row(result.get())) {
    if (row[0] == nullptr) continue;
    if (auto field = FieldFromName(row[0])) {
      present[static_cast<size_t>(*field)] = true;
    }
  }

  // Step 2: all ten there.
  for (Field field : kAllFields) {
    if (!present[static_cast<size_t>(field)]) {
      return InvalidArgument("table '" + target.table +
                             "' is not an SDK token table: no column " +
                             std::string(FieldName(field)));
    }
  }
  return Status::Ok();
}

}  // namespace tks::tools::mysql

// Reading an SDK token table from MySQL/MariaDB.
#include "mysql_conn.h"
#include "tokenstore/tools/mysql_table.h"

namespace tks::tools {

Result<std::vector<SdkRow>> ReadMysqlTable(const MysqlTarget& target) {
  // Step 1: connect and check the schema.
  TKS_ASSIGN_OR_RETURN(mysql::Conn conn, mysql::Connect(target));
  TKS_RETURN_IF_ERROR(mysql::CheckSdkColumns(conn.get(), target));

  // Step 2: stream the rows, byte-exact (lengths, not C strings).
  std::string sql = "SELECT ";
  for (Field field : kAllFields) {
    if (field != Field::kId) sql += ", ";
    sql += "`" + std::string(FieldName(field)) + "`";
  }
  sql += " FROM `" + target.table + "` ORDER BY `id`";
  TKS_RETURN_IF_ERROR(mysql::Query(conn.get(), sql));
  mysql::ResultSet result(mysql_use_result(conn.get()));
  if (!result) return mysql::Error(conn.get(), "reading rows");

  // Step 3: one token per row; NULL is null.
  std::vector<SdkRow> rows;
  while (MYSQL_ROW row = mysql_fetch_row(result.get())) {
    const unsigned long* lengths = mysql_fetch_lengths(result.get());
    SdkRow sdk_row;
    sdk_row.line = rows.size() + 1;
    for (Field field : kAllFields) {
      const size_t column = static_cast<size_t>(field);
      if (row[column] == nullptr) continue;
      sdk_row.token.set(field, std::string_view(row[column], lengths[column]));
    }
    Status valid = ValidateToken(sdk_row.token);
    if (!valid.ok()) {
      return Status(valid.code(), "row " + std::to_string(sdk_row.line) + ": " +
                                      valid.message());
    }
    rows.push_back(std::move(sdk_row));
  }
  if (mysql_errno(conn.get()) != 0) {
    return mysql::Error(conn.get(), "reading rows");
  }
  return rows;
}

}  // namespace tks::tools

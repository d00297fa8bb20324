// RAII owners for MariaDB client handles and the one place their errors
// become a Status.
#ifndef TOKENSTORE_TOOLS_MYSQL_CONN_H_
#define TOKENSTORE_TOOLS_MYSQL_CONN_H_

#include <mysql.h>

#include <memory>
#include <string>
#include <string_view>

#include "tokenstore/status.h"
#include "tokenstore/tools/mysql_table.h"

namespace tks::tools::mysql {

struct CloseConn {
  void operator()(MYSQL* conn) const { mysql_close(conn); }
};
struct CloseStmt {
  void operator()(MYSQL_STMT* stmt) const { mysql_stmt_close(stmt); }
};
struct FreeResult {
  void operator()(MYSQL_RES* result) const { mysql_free_result(result); }
};
using Conn = std::unique_ptr<MYSQL, CloseConn>;
using Stmt = std::unique_ptr<MYSQL_STMT, CloseStmt>;
using ResultSet = std::unique_ptr<MYSQL_RES, FreeResult>;

// INTERNAL naming `what` and the server's message (which holds no bound
// value or password).
Status Error(MYSQL* conn, std::string_view what);
Status StmtError(MYSQL_STMT* stmt, std::string_view what);

// Connects with the target's settings; utf8mb4, no auto-commit.
// INVALID_ARGUMENT for bad database or table names.
Result<Conn> Connect(const MysqlTarget& target);

// Runs SQL without results.
Status Query(MYSQL* conn, const std::string& sql);

// The table's columns as the SDK names them; INVALID_ARGUMENT naming the
// first SDK column it lacks, or when there is no such table.
Status CheckSdkColumns(MYSQL* conn, const MysqlTarget& target);

}  // namespace tks::tools::mysql

#endif  // TOKENSTORE_TOOLS_MYSQL_CONN_H_

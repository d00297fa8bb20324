// RAII owners for SQLite handles and the one place SQLite codes become a
// Status.
#ifndef TOKENSTORE_TOOLS_SQLITE_HANDLE_H_
#define TOKENSTORE_TOOLS_SQLITE_HANDLE_H_

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

#include "tokenstore/status.h"

namespace tks::tools::sqlite {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStmt {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;
using Stmt = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

// INTERNAL naming `what` and SQLite's message (which holds no bound value).
Status Error(sqlite3* db, std::string_view what);

// Opens `path` with `flags` (SQLITE_OPEN_*).
Result<Db> Open(const std::string& path, int flags);

// Prepares one statement.
Result<Stmt> Prepare(sqlite3* db, std::string_view sql);

// Runs SQL without results.
Status Exec(sqlite3* db, const char* sql);

// True for a name of letters, digits and underscores, not starting with a
// digit, at most 64 bytes.
bool IsPlainIdentifier(std::string_view name);

}  // namespace tks::tools::sqlite

#endif  // TOKENSTORE_TOOLS_SQLITE_HANDLE_H_

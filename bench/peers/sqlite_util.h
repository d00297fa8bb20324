// RAII handles over the SQLite C API shared by the two SQLite peers.
#ifndef TOKENSTORE_BENCH_PEERS_SQLITE_UTIL_H_
#define TOKENSTORE_BENCH_PEERS_SQLITE_UTIL_H_

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

#include "fake_tokens.h"
#include "tokenstore/status.h"

namespace tks::bench::sqlite {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// Opens (creating) the database at `path` with a 10 s busy timeout.
Result<Db> Open(const std::string& path);
Status Exec(sqlite3* db, const std::string& sql);
Result<Stmt> Prepare(sqlite3* db, std::string_view sql);

// INTERNAL naming `what` and SQLite's message unless rc is OK/ROW/DONE.
Status Check(sqlite3* db, int rc, std::string_view what);

// Binds text without copying; `text` must outlive the step.
void BindText(sqlite3_stmt* stmt, int index, std::string_view text);
// Column `index` as a string ("" for NULL).
std::string_view ColumnText(sqlite3_stmt* stmt, int index);

// Fills a record from columns first..first+9 (the ten fields in order).
void ReadFields(sqlite3_stmt* stmt, int first, Record* out);

}  // namespace tks::bench::sqlite

#endif  // TOKENSTORE_BENCH_PEERS_SQLITE_UTIL_H_

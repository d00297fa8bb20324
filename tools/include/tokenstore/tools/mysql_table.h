// MySQL/MariaDB token tables with the SDK DBStore schema (database
// `zohooauth`, table `oauthtoken`, the ten columns as varchar, primary key
// id), through the MariaDB client library.
//
// SQL NULL is null and '' stays "". Table and database names are plain
// identifiers; values are always bound, never spliced into SQL. The
// password is given by the caller (tks reads it from the environment or
// standard input, never from arguments) and is never part of a message.
//
// Thread safety: all functions are reentrant.
#ifndef TOKENSTORE_TOOLS_MYSQL_TABLE_H_
#define TOKENSTORE_TOOLS_MYSQL_TABLE_H_

#include <string>
#include <vector>

#include "tokenstore/crypto/secret.h"
#include "tokenstore/status.h"
#include "tokenstore/tools/sdk_csv.h"
#include "tokenstore/tools/sqlite_table.h"

namespace tks::tools {

// Where the table is; defaults as in the SDK's DBStore.
struct MysqlTarget {
  std::string host = "localhost";
  unsigned port = 3306;
  std::string socket;  // Used instead of host/port when not empty.
  std::string database = "zohooauth";
  std::string user = "root";
  crypto::SecretString password;
  std::string table = "oauthtoken";
};

// Reads every row of the table in primary key order; SdkRow::line is the
// 1-based row number. INVALID_ARGUMENT for bad names, a missing table, a
// table without the SDK columns (naming the first missing one) or a row
// over the limits (naming the row); INTERNAL for connection and server
// errors.
Result<std::vector<SdkRow>> ReadMysqlTable(const MysqlTarget& target);

// Writes every token `next` yields into the table, in one transaction,
// creating it with the SDK schema when it does not exist.
// INVALID_ARGUMENT if the table already holds rows. Secret fields are
// redacted unless `reveal`. Returns the row count; on failure nothing is
// written.
Result<size_t> WriteMysqlTable(const MysqlTarget& target, bool reveal,
                               const TokenSource& next);

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_MYSQL_TABLE_H_

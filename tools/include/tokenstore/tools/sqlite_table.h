// SQLite token tables with the SDK schema (the `oauthtoken` table of the
// SDK samples' zohooauth.db): id, user_name, client_id, client_secret,
// refresh_token, access_token, grant_token, expiry_time, redirect_url,
// api_domain, all text, primary key id.
//
// SQL NULL is null and '' stays "" (SQLite tells them apart). Table names
// are plain identifiers (letters, digits, underscore); values are always
// bound, never spliced into SQL.
//
// Thread safety: all functions are reentrant. Messages never hold a value.
#ifndef TOKENSTORE_TOOLS_SQLITE_TABLE_H_
#define TOKENSTORE_TOOLS_SQLITE_TABLE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tokenstore/status.h"
#include "tokenstore/token.h"
#include "tokenstore/tools/sdk_csv.h"

namespace tks::tools {

inline constexpr char kSdkTableName[] = "oauthtoken";

// Reads every row of `table` in `path`, in rowid order; SdkRow::line is the
// 1-based row number. NOT_FOUND if the file does not exist;
// INVALID_ARGUMENT for a bad table name, a missing table, a table without
// the SDK columns (the message names the first missing one), or a row
// over the limits of DESIGN §2 (naming the row); INTERNAL for SQLite
// failures.
Result<std::vector<SdkRow>> ReadSqliteTable(const std::string& path,
                                            const std::string& table);

// Produces tokens one at a time for writing; nullopt at the end.
using TokenSource = std::function<Result<std::optional<Token>>()>;

// Creates a new SQLite file at `path` (mode 0600; INVALID_ARGUMENT if it
// exists) with `table` in the SDK schema and writes every token `next`
// yields, in one transaction. Secret fields are redacted unless `reveal`.
// Returns the row count. On failure the new file is removed.
Result<size_t> WriteSqliteTable(const std::string& path,
                                const std::string& table, bool reveal,
                                const TokenSource& next);

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_SQLITE_TABLE_H_

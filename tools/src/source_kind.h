// Which kind of file an import reads or an export writes.
#ifndef TOKENSTORE_TOOLS_SOURCE_KIND_H_
#define TOKENSTORE_TOOLS_SOURCE_KIND_H_

#include <optional>
#include <string>

#include "tokenstore/status.h"

namespace tks::tools {

enum class FileKind { kCsv, kSqlite, kMysql };

// The kind named by --from/--to ("csv", "sqlite", "mysql");
// INVALID_ARGUMENT else.
Result<FileKind> ParseFileKind(const std::string& name);

// For an import without --from: SQLite when the file starts with the
// SQLite header, else CSV (missing files are left to the reader).
FileKind SniffFileKind(const std::string& path);

// For an export without --to: SQLite for .db, .sqlite and .sqlite3.
FileKind KindFromExtension(const std::string& path);

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_SOURCE_KIND_H_

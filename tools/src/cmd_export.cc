// tks export: every record to an SDK token file or a SQLite table.
#include <unistd.h>

#include <ostream>

#include "cli_common.h"
#include "commands.h"
#include "mysql_flags.h"
#include "private_file.h"
#include "progress.h"
#include "source_kind.h"
#include "tokenstore/tools/sdk_csv.h"
#include "tokenstore/tools/sqlite_table.h"

namespace tks::tools {
namespace {

constexpr char kHelp[] =
    "usage: tks export [--store DIR] [key flags] [--to csv|sqlite]\n"
    "                  [--table NAME] [--reveal] FILE\n"
    "       tks export [--store DIR] [key flags] --to mysql [--reveal]\n"
    "                  [connection flags]\n"
    "\n"
    "Writes every record, in insertion order, to a new file (mode 0600;\n"
    "an existing file is never overwritten): an SDK token file (CSV, 10\n"
    "columns, CRLF; null is an empty field) or, with --to sqlite or a\n"
    "FILE ending in .db/.sqlite/.sqlite3, a SQLite file holding the SDK\n"
    "table (default name oauthtoken). --to mysql writes into a MySQL/\n"
    "MariaDB table with the SDK's DBStore schema, created when missing and\n"
    "refused when it already holds rows, in one transaction.\n"
    "\n"
    "User names, client secrets and tokens are written redacted unless\n"
    "--reveal is given: only a --reveal export can be imported back.\n"
    "\n";

constexpr size_t kFlushBytes = size_t{1} << 20;

// Streams the store's records, stopping at the first that does not open.
TokenSource StoreSource(TokenCursor& cursor, Progress& progress,
                        size_t& count) {
  return [&cursor, &progress, &count]() -> Result<std::optional<Token>> {
    auto next = cursor.Next();
    if (next.ok() && next->has_value()) progress.Update(++count);
    return next;
  };
}

Result<size_t> ExportCsv(const std::string& path, bool reveal,
                         const TokenSource& next) {
  // Step 1: the header.
  TKS_ASSIGN_OR_RETURN(PrivateFile file, PrivateFile::Create(path));
  crypto::SecretString buffer(SdkCsvHeader());

  // Step 2: rows, written out a megabyte at a time.
  size_t rows = 0;
  Status status;
  while (status.ok()) {
    auto token = next();
    if (!token.ok()) {
      status = token.status();
      break;
    }
    if (!token->has_value()) break;
    AppendSdkCsvRow(**token, reveal, buffer);
    ++rows;
    if (buffer.size() >= kFlushBytes) {
      status = file.Write(buffer.view());
      buffer.clear();
    }
  }

  // Step 3: the rest; on any failure remove the partial file.
  if (status.ok()) status = file.Write(buffer.view());
  if (status.ok()) status = file.Close();
  if (!status.ok()) {
    ::unlink(path.c_str());
    return status;
  }
  return rows;
}

}  // namespace

int CmdExport(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  auto args =
      Args::Parse(words, WithMysqlFlags(StoreFlags({{"to"}, {"reveal"}})));
  if (!args.ok()) return UsageError(io, "export", args.status().message());
  if (args->Has("help")) {
    io.out << kHelp << StoreFlagsHelp() << MysqlFlagsHelp();
    return kExitOk;
  }
  std::optional<FileKind> kind;
  if (auto to = args->Value("to")) {
    auto parsed = ParseFileKind(*to);
    if (!parsed.ok()) {
      return UsageError(io, "export", parsed.status().message());
    }
    kind = *parsed;
  }
  const size_t wanted = kind == FileKind::kMysql ? 0 : 1;
  if (args->positional().size() != wanted) {
    return UsageError(
        io, "export",
        wanted == 1 ? "give exactly one FILE" : "mysql takes no FILE");
  }
  const std::string path =
      wanted == 1
          ? args->positional()[0]
          : "mysql table " + args->Value("table").value_or("oauthtoken");
  if (!kind) kind = KindFromExtension(path);
  if (args->Has("table") && kind == FileKind::kCsv) {
    return UsageError(io, "export", "--table is for SQLite and MySQL");
  }
  const bool reveal = args->Has("reveal");

  // Step 2: stream the records into the target.
  auto store = OpenStore(*args, io);
  if (!store.ok()) return Fail(io, "export", store.status());
  auto cursor = (*store)->NewCursor();
  Progress progress(io.err, io.terminal, "exported");
  size_t count = 0;
  TokenSource next = StoreSource(*cursor, progress, count);
  Result<size_t> rows = Status(Code::kInternal, "no target");
  if (kind == FileKind::kCsv) {
    rows = ExportCsv(path, reveal, next);
  } else if (kind == FileKind::kSqlite) {
    rows = WriteSqliteTable(path, args->Value("table").value_or(kSdkTableName),
                            reveal, next);
  } else {
    auto target = MysqlTargetFromArgs(*args, io);
    rows = target.ok() ? WriteMysqlTable(*target, reveal, next)
                       : Result<size_t>(target.status());
  }
  progress.Finish();
  if (!rows.ok()) return Fail(io, "export", rows.status());

  // Step 3: report.
  io.out << "exported " << *rows << " records to " << path
         << (reveal ? " (secrets revealed: keep it private)"
                    : " (redacted: not importable; --reveal for a full copy)")
         << "\n";
  return kExitOk;
}

}  // namespace tks::tools

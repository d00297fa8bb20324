// tks import: records from an SDK token file or SQLite table, keeping
// their ids.
#include <chrono>
#include <cstdlib>
#include <ostream>

#include "cli_common.h"
#include "commands.h"
#include "import_rows.h"
#include "import_writer.h"
#include "mysql_flags.h"
#include "source_kind.h"
#include "tokenstore/tools/sdk_csv.h"
#include "tokenstore/tools/sqlite_table.h"

namespace tks::tools {
namespace {

constexpr char kHelp[] =
    "usage: tks import [--store DIR] [key flags] [--from csv|sqlite]\n"
    "                  [--table NAME] [--batch N [--resume]] SOURCE\n"
    "       tks import [--store DIR] [key flags] --from mysql\n"
    "                  [connection flags]\n"
    "\n"
    "Imports tokens into an existing store, keeping their ids (a row\n"
    "without an id gets a new one). SOURCE is an SDK token file (CSV, 10\n"
    "columns or the older 9, with header; empty fields are null) or a\n"
    "SQLite file with the SDK table (default table oauthtoken; NULL is\n"
    "null, '' stays empty). Without --from, a file with the SQLite header\n"
    "is read as SQLite. --from mysql reads a live MySQL/MariaDB table with\n"
    "the SDK's DBStore schema (rows in id order).\n"
    "\n"
    "Everything is imported in one transaction: a malformed row, a row\n"
    "over the size limits, an id twice in the source, or an id or token\n"
    "already in the store stops the import with an error naming the line\n"
    "or row, and nothing is imported.\n"
    "\n"
    "--batch N commits every N rows instead (faster for very large\n"
    "sources). The source is still checked whole before the first commit;\n"
    "if a later batch fails, the error says how many records went in, and\n"
    "running the same import again with --resume skips the rows already\n"
    "imported (same id, same fields) and goes on.\n"
    "\n"
    "Duplicates in the source: when two rows hold the same refresh, access\n"
    "or grant token, the later row (the newer save) is imported and the\n"
    "earlier one is skipped and reported. Rows sharing a user name are all\n"
    "imported; a find by user name returns the first.\n"
    "\n";

// Reads every row of the source.
Result<std::vector<SdkRow>> ReadSource(const Args& args, CliIo& io,
                                       const std::string& source,
                                       FileKind kind) {
  if (kind == FileKind::kCsv) return ReadSdkCsvFile(source);
  if (kind == FileKind::kMysql) {
    TKS_ASSIGN_OR_RETURN(MysqlTarget target, MysqlTargetFromArgs(args, io));
    return ReadMysqlTable(target);
  }
  return ReadSqliteTable(source, args.Value("table").value_or(kSdkTableName));
}

}  // namespace

int CmdImport(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  auto args = Args::Parse(
      words, WithMysqlFlags(StoreFlags({{"from", "batch"}, {"resume"}})));
  if (!args.ok()) return UsageError(io, "import", args.status().message());
  if (args->Has("help")) {
    io.out << kHelp << StoreFlagsHelp() << MysqlFlagsHelp();
    return kExitOk;
  }
  std::optional<FileKind> kind;
  if (auto from = args->Value("from")) {
    auto parsed = ParseFileKind(*from);
    if (!parsed.ok()) {
      return UsageError(io, "import", parsed.status().message());
    }
    kind = *parsed;
  }
  const size_t wanted = kind == FileKind::kMysql ? 0 : 1;
  if (args->positional().size() != wanted) {
    return UsageError(
        io, "import",
        wanted == 1 ? "give exactly one SOURCE" : "mysql takes no SOURCE");
  }
  const std::string source =
      wanted == 1
          ? args->positional()[0]
          : "mysql table " + args->Value("table").value_or("oauthtoken");
  if (!kind) kind = SniffFileKind(source);
  if (args->Has("table") && kind == FileKind::kCsv) {
    return UsageError(io, "import", "--table is for SQLite and MySQL");
  }
  const std::string unit = kind == FileKind::kCsv ? "line" : "row";

  // Step 2: read the whole source and apply the duplicate rule before
  // touching the store.
  const auto started = std::chrono::steady_clock::now();
  auto rows = ReadSource(*args, io, source, *kind);
  if (!rows.ok()) return Fail(io, "import", rows.status());
  const size_t source_rows = rows->size();
  auto plan = PlanImport(std::move(rows.value()), unit);
  if (!plan.ok()) {
    return Fail(
        io, "import",
        Status(plan.status().code(), source + ": " + plan.status().message()));
  }

  // Step 3: into the store, in one transaction unless --batch.
  size_t batch = 0;
  if (auto text = args->Value("batch")) {
    batch = std::strtoul(text->c_str(), nullptr, 10);
    if (batch == 0 || batch > 1000000) {
      return UsageError(io, "import", "--batch wants 1 to 1000000");
    }
  }
  auto store = OpenStore(*args, io);
  if (!store.ok()) return Fail(io, "import", store.status());
  Progress progress(io.err, io.terminal, "imported");
  ImportCounts counts;
  Status written = WriteImport(**store, *plan, batch, args->Has("resume"), unit,
                               progress, counts);
  progress.Finish();
  if (!written.ok()) return Fail(io, "import", written);

  // Step 4: report, skipped rows included.
  const auto elapsed = std::chrono::steady_clock::now() - started;
  for (const std::string& skipped : plan->skipped) io.out << skipped << "\n";
  io.out << "imported " << counts.written << " records from " << source << " ("
         << source_rows << " " << unit << "s read, " << plan->skipped.size()
         << " skipped as duplicates";
  if (args->Has("resume")) {
    io.out << ", " << counts.already_present << " already imported";
  }
  io.out << ") in " << FormatDuration(elapsed) << "\n";
  if (plan->shared_user_rows > 0) {
    io.out << plan->shared_user_rows
           << " records share a user name with an earlier one; a find by "
              "user name returns the first\n";
  }
  return kExitOk;
}

}  // namespace tks::tools

// tks import: records from an SDK token file, keeping their ids.
#include <charconv>
#include <chrono>
#include <ostream>

#include "cli_common.h"
#include "commands.h"
#include "tokenstore/tools/sdk_csv.h"

namespace tks::tools {
namespace {

constexpr char kHelp[] =
    "usage: tks import [--store DIR] [key flags] FILE\n"
    "\n"
    "Imports the SDK token file FILE (CSV, 10 columns or the older 9, with\n"
    "header; empty fields are null) into an existing store. Rows keep their\n"
    "ids; a row without an id gets a new one. The whole file is imported in\n"
    "one transaction: a malformed row, an id already in the store or a\n"
    "token value held by two rows stops the import with an error naming the\n"
    "line, and nothing is imported.\n"
    "\n";

// Rewrites the engine's "batch item N: ..." into "line L: ...".
Status NameTheLine(const Status& status, const std::vector<size_t>& lines) {
  constexpr std::string_view kPrefix = "batch item ";
  const std::string& message = status.message();
  if (message.compare(0, kPrefix.size(), kPrefix) != 0) return status;
  const size_t colon = message.find(':', kPrefix.size());
  if (colon == std::string::npos) return status;
  size_t item = 0;
  const char* first = message.data() + kPrefix.size();
  const auto parsed = std::from_chars(first, message.data() + colon, item);
  if (parsed.ec != std::errc() || item >= lines.size()) return status;
  return Status(status.code(),
                "line " + std::to_string(lines[item]) + message.substr(colon));
}

}  // namespace

int CmdImport(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  auto args = Args::Parse(words, StoreFlags());
  if (!args.ok()) return UsageError(io, "import", args.status().message());
  if (args->Has("help")) {
    io.out << kHelp << StoreFlagsHelp();
    return kExitOk;
  }
  if (args->positional().size() != 1) {
    return UsageError(io, "import", "give exactly one FILE");
  }
  const std::string& file = args->positional()[0];

  // Step 2: read the whole file before touching the store.
  const auto started = std::chrono::steady_clock::now();
  auto rows = ReadSdkCsvFile(file);
  if (!rows.ok()) return Fail(io, "import", rows.status());
  std::vector<Token> tokens;
  std::vector<size_t> lines;
  tokens.reserve(rows->size());
  lines.reserve(rows->size());
  for (SdkRow& row : *rows) {
    tokens.push_back(std::move(row.token));
    lines.push_back(row.line);
  }

  // Step 3: one transaction for the whole file.
  auto store = OpenStore(*args);
  if (!store.ok()) return Fail(io, "import", store.status());
  Status inserted = (*store)->InsertTokensWithIds(tokens);
  if (!inserted.ok()) {
    return Fail(io, "import", NameTheLine(inserted, lines));
  }

  // Step 4: report.
  const auto elapsed = std::chrono::steady_clock::now() - started;
  io.out << "imported " << tokens.size() << " records from " << file << " in "
         << FormatDuration(elapsed) << "\n";
  return kExitOk;
}

}  // namespace tks::tools

// tks get, list and delete: records by id and in insertion order.
#include <chrono>
#include <ostream>

#include "cli_common.h"
#include "commands.h"
#include "tokenstore/redact.h"

namespace tks::tools {
namespace {

constexpr char kGetHelp[] =
    "usage: tks get [--store DIR] [key flags] [--reveal] ID\n"
    "\n"
    "Prints the record with id ID (ids are not secret), redacted unless\n"
    "--reveal, and the time the engine call took. Exit code 1 if absent.\n"
    "\n";

constexpr char kListHelp[] =
    "usage: tks list [--store DIR] [key flags] [--reveal]\n"
    "\n"
    "Prints one line per record in insertion order: id, user name, the\n"
    "three tokens and the expiry time, redacted unless --reveal. Records\n"
    "stream from a cursor, so large stores are fine.\n"
    "\n";

constexpr char kDeleteHelp[] =
    "usage: tks delete [--store DIR] [key flags] ID\n"
    "\n"
    "Deletes the record with id ID and its index entries. Exit code 1 if\n"
    "there is no such record.\n"
    "\n";

// Parses the flags of a command that takes one ID; nullopt after printing
// help or a usage error, whose exit code goes to `exit_code`.
std::optional<Args> ParseIdCommand(CommandArgs words, CliIo& io,
                                   std::string_view command,
                                   std::string_view help, FlagSpec spec,
                                   int& exit_code) {
  auto args = Args::Parse(words, StoreFlags(std::move(spec)));
  if (!args.ok()) {
    exit_code = UsageError(io, command, args.status().message());
    return std::nullopt;
  }
  if (args->Has("help")) {
    io.out << help << StoreFlagsHelp();
    exit_code = kExitOk;
    return std::nullopt;
  }
  if (args->positional().size() != 1) {
    exit_code = UsageError(io, command, "give exactly one ID");
    return std::nullopt;
  }
  return std::move(args.value());
}

}  // namespace

int CmdGet(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  int exit_code = kExitOk;
  auto args =
      ParseIdCommand(words, io, "get", kGetHelp, {{}, {"reveal"}}, exit_code);
  if (!args) return exit_code;
  const std::string& id = args->positional()[0];

  // Step 2: the timed engine call.
  auto store = OpenStore(*args, io);
  if (!store.ok()) return Fail(io, "get", store.status());
  const auto started = std::chrono::steady_clock::now();
  auto token = (*store)->FindTokenById(id);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  if (!token.ok()) return Fail(io, "get", token.status());

  // Step 3: show it.
  io.out << "found id " << token->id() << " in " << FormatDuration(elapsed)
         << "\n";
  PrintRecord(io.out, *token, args->Has("reveal"));
  return kExitOk;
}

int CmdList(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  auto args = Args::Parse(words, StoreFlags({{}, {"reveal"}}));
  if (!args.ok()) return UsageError(io, "list", args.status().message());
  if (args->Has("help")) {
    io.out << kListHelp << StoreFlagsHelp();
    return kExitOk;
  }
  if (!args->positional().empty()) {
    return UsageError(io, "list", "unexpected argument");
  }
  const bool reveal = args->Has("reveal");

  // Step 2: stream the records; a damaged one is reported and skipped.
  auto store = OpenStore(*args, io);
  if (!store.ok()) return Fail(io, "list", store.status());
  auto cursor = (*store)->NewCursor();
  size_t count = 0;
  int exit_code = kExitOk;
  while (true) {
    auto next = cursor->Next();
    if (!next.ok()) {
      exit_code = Fail(io, "list", next.status());
      if (next.status().code() != Code::kCorrupt) return exit_code;
      continue;
    }
    if (!next->has_value()) break;
    const Token& token = **next;
    io.out << ShowField(token, Field::kId, reveal)
           << "  user=" << ShowField(token, Field::kUserName, reveal)
           << "  refresh=" << ShowField(token, Field::kRefreshToken, reveal)
           << "  access=" << ShowField(token, Field::kAccessToken, reveal)
           << "  grant=" << ShowField(token, Field::kGrantToken, reveal)
           << "  expiry=" << ShowField(token, Field::kExpiryTime, reveal)
           << "\n";
    ++count;
  }

  // Step 3: a count line.
  io.out << count << " records\n";
  return exit_code;
}

int CmdDelete(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  int exit_code = kExitOk;
  auto args = ParseIdCommand(words, io, "delete", kDeleteHelp, {}, exit_code);
  if (!args) return exit_code;
  const std::string& id = args->positional()[0];

  // Step 2: delete.
  auto store = OpenStore(*args, io);
  if (!store.ok()) return Fail(io, "delete", store.status());
  Status deleted = (*store)->DeleteToken(id);
  if (!deleted.ok()) return Fail(io, "delete", deleted);
  io.out << "deleted id " << id << "\n";
  return kExitOk;
}

}  // namespace tks::tools

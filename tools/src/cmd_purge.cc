// tks purge-expired and tks delete-user.
#include <charconv>
#include <chrono>
#include <ostream>

#include "cli_common.h"
#include "commands.h"
#include "progress.h"
#include "tokenstore/redact.h"

namespace tks::tools {
namespace {

constexpr char kPurgeHelp[] =
    "usage: tks purge-expired [--store DIR] [key flags] [--before TIME]\n"
    "                         [--batch N]\n"
    "\n"
    "Deletes every record whose expiry time is before TIME (epoch\n"
    "milliseconds; default: now), oldest first, through the expiry index,\n"
    "in transactions of N records (default 1000) so other processes are\n"
    "never held up for long. Records whose expiry time is null or does not\n"
    "parse are kept. Interrupting it is safe: run it again to go on.\n"
    "\n";

constexpr char kDeleteUserHelp[] =
    "usage: tks delete-user [--store DIR] [key flags]\n"
    "\n"
    "Deletes every record of one user, in one transaction. The user name\n"
    "is the first line of standard input (never an argument). Exit code 1\n"
    "when the user has no record.\n"
    "\n";

constexpr size_t kDefaultBatch = 1000;
constexpr size_t kMaxBatch = 100000;

uint64_t NowEpochMs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

Result<uint64_t> ParseCount(const std::string& text, std::string_view what) {
  uint64_t value = 0;
  const auto parsed =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size()) {
    return InvalidArgument(std::string(what) + " wants a number");
  }
  return value;
}

}  // namespace

int CmdPurgeExpired(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  auto args = Args::Parse(words, StoreFlags({{"before", "batch"}, {}}));
  if (!args.ok()) {
    return UsageError(io, "purge-expired", args.status().message());
  }
  if (args->Has("help")) {
    io.out << kPurgeHelp << StoreFlagsHelp();
    return kExitOk;
  }
  if (!args->positional().empty()) {
    return UsageError(io, "purge-expired", "unexpected argument");
  }
  uint64_t before = NowEpochMs();
  if (auto text = args->Value("before")) {
    auto parsed = ParseCount(*text, "--before");
    if (!parsed.ok()) {
      return UsageError(io, "purge-expired", parsed.status().message());
    }
    before = *parsed;
  }
  uint64_t batch = kDefaultBatch;
  if (auto text = args->Value("batch")) {
    auto parsed = ParseCount(*text, "--batch");
    if (!parsed.ok() || *parsed == 0 || *parsed > kMaxBatch) {
      return UsageError(io, "purge-expired", "--batch wants 1 to 100000");
    }
    batch = *parsed;
  }

  // Step 2: batches until one comes back short; each deletes at least
  // one record, so this ends.
  auto store = OpenStore(*args, io);
  if (!store.ok()) return Fail(io, "purge-expired", store.status());
  Progress progress(io.err, io.terminal, "purged");
  size_t total = 0;
  while (true) {
    auto purged = (*store)->PurgeExpired(before, batch);
    if (!purged.ok()) {
      progress.Finish();
      io.out << "purged " << total << " records before the error\n";
      return Fail(io, "purge-expired", purged.status());
    }
    total += *purged;
    progress.Update(total);
    if (*purged < batch) break;
  }
  progress.Finish();
  io.out << "purged " << total << " records that expired before " << before
         << "\n";
  return kExitOk;
}

int CmdDeleteUser(CommandArgs words, CliIo& io) {
  // Step 1: flags; the name comes from standard input.
  auto args = Args::Parse(words, StoreFlags());
  if (!args.ok()) {
    return UsageError(io, "delete-user", args.status().message());
  }
  if (args->Has("help")) {
    io.out << kDeleteUserHelp << StoreFlagsHelp();
    return kExitOk;
  }
  if (!args->positional().empty()) {
    return UsageError(io, "delete-user",
                      "the user name is read from standard input, not argv");
  }
  auto lines = ReadSecretLines(io.in, 1);
  if (!lines.ok()) return Fail(io, "delete-user", lines.status());
  if (lines->empty() || (*lines)[0].empty()) {
    return UsageError(io, "delete-user", "no user name on standard input");
  }
  const std::string_view user = (*lines)[0].view();

  // Step 2: delete them all at once.
  auto store = OpenStore(*args, io);
  if (!store.ok()) return Fail(io, "delete-user", store.status());
  auto deleted = (*store)->DeleteUserTokens(user);
  if (!deleted.ok()) return Fail(io, "delete-user", deleted.status());
  io.out << "deleted " << *deleted << " records of user " << RedactValue(user)
         << "\n";
  return *deleted == 0 ? kExitNotFound : kExitOk;
}

}  // namespace tks::tools

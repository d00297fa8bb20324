// tks verify: every record opens, every index entry matches.
#include <ostream>

#include "cli_common.h"
#include "commands.h"
#include "progress.h"
#include "tokenstore/admin.h"

namespace tks::tools {
namespace {

constexpr char kHelp[] =
    "usage: tks verify [--store DIR] [key flags]\n"
    "\n"
    "Checks the whole store in one consistent snapshot: every record\n"
    "opens with its data key, has the index entries its fields call for,\n"
    "and every index entry points to a record whose field hashes to it.\n"
    "Prints each problem (naming record ids, never values) and exits with\n"
    "5 when there is any, 0 when the store is clean.\n"
    "\n";

}  // namespace

int CmdVerify(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  auto args = Args::Parse(words, StoreFlags());
  if (!args.ok()) return UsageError(io, "verify", args.status().message());
  if (args->Has("help")) {
    io.out << kHelp << StoreFlagsHelp();
    return kExitOk;
  }
  if (!args->positional().empty()) {
    return UsageError(io, "verify", "unexpected argument");
  }

  // Step 2: the check, with progress on a terminal.
  auto store = OpenStore(*args, io);
  if (!store.ok()) return Fail(io, "verify", store.status());
  Progress progress(io.err, io.terminal, "checked");
  auto report = VerifyStore(
      **store, [&progress](uint64_t done) { progress.Update(done); });
  progress.Finish();
  if (!report.ok()) return Fail(io, "verify", report.status());

  // Step 3: the findings.
  for (const std::string& problem : report->problems) {
    io.out << problem << "\n";
  }
  io.out << "checked " << report->records_checked << " records and "
         << report->entries_checked << " index entries: ";
  if (report->clean()) {
    io.out << "clean\n";
    return kExitOk;
  }
  io.out << report->problem_count << " problems";
  if (!report->corrupt_ids.empty()) {
    io.out << "; records that do not open:";
    for (const std::string& id : report->corrupt_ids) io.out << " " << id;
  }
  io.out << "\n";
  return kExitCorrupt;
}

}  // namespace tks::tools

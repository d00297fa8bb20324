// tks backup and tks restore: a compact, consistent copy of a store and
// a new store made from one.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <ostream>

#include "cli_common.h"
#include "commands.h"
#include "tokenstore/admin.h"

namespace tks::tools {
namespace {

constexpr char kBackupHelp[] =
    "usage: tks backup [--store DIR] [key flags] DEST\n"
    "\n"
    "Writes a consistent, compacted copy of the store into the new (or\n"
    "empty) directory DEST (0700, data file 0600), while other processes\n"
    "may keep using the store. The copy is encrypted like the store and\n"
    "opens with the same root key; keep that key apart from the backup.\n"
    "\n";

constexpr char kRestoreHelp[] =
    "usage: tks restore --store DIR [key flags] BACKUP\n"
    "\n"
    "Makes a new store in DIR (which must not exist or be empty) from the\n"
    "backup directory BACKUP, then opens it with the root key and verifies\n"
    "it. If the key does not open it or verify finds a problem, DIR is\n"
    "removed again. To replace a store, restore beside it and swap the\n"
    "directories while no process uses them.\n"
    "\n";

// Copies BACKUP/data.mdb into a new private directory `dir`.
Status CopyBackup(const std::string& backup, const std::string& dir) {
  // Step 1: the backup holds a data file.
  namespace fs = std::filesystem;
  const std::string source = backup + "/data.mdb";
  std::error_code error;
  if (!fs::is_regular_file(source, error)) {
    return NotFound(backup + " holds no store backup (no data.mdb)");
  }

  // Step 2: a private, empty directory.
  if (fs::exists(dir, error) &&
      (!fs::is_directory(dir, error) || !fs::is_empty(dir, error))) {
    return InvalidArgument(dir + " exists and is not an empty directory");
  }
  fs::create_directories(dir, error);
  if (error || ::chmod(dir.c_str(), 0700) != 0) {
    return Internal("cannot create " + dir);
  }

  // Step 3: the copy, private before it holds anything.
  const std::string target = dir + "/data.mdb";
  const int fd = ::creat(target.c_str(), 0600);
  if (fd < 0) return Internal("cannot create " + target);
  ::close(fd);
  fs::copy_file(source, target, fs::copy_options::overwrite_existing, error);
  if (error)
    return Internal("cannot copy to " + target + ": " + error.message());
  return Status::Ok();
}

}  // namespace

int CmdBackup(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  auto args = Args::Parse(words, StoreFlags());
  if (!args.ok()) return UsageError(io, "backup", args.status().message());
  if (args->Has("help")) {
    io.out << kBackupHelp << StoreFlagsHelp();
    return kExitOk;
  }
  if (args->positional().size() != 1) {
    return UsageError(io, "backup", "give exactly one DEST");
  }
  const std::string& dest = args->positional()[0];

  // Step 2: the copy.
  auto store = OpenStore(*args, io);
  if (!store.ok()) return Fail(io, "backup", store.status());
  Status copied = BackupStore(**store, dest);
  if (!copied.ok()) return Fail(io, "backup", copied);
  io.out << "backed up " << (*store)->path() << " to " << dest
         << " (opens with the same root key)\n";
  return kExitOk;
}

int CmdRestore(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  auto args = Args::Parse(words, StoreFlags());
  if (!args.ok()) return UsageError(io, "restore", args.status().message());
  if (args->Has("help")) {
    io.out << kRestoreHelp << StoreFlagsHelp();
    return kExitOk;
  }
  if (args->positional().size() != 1) {
    return UsageError(io, "restore", "give exactly one BACKUP");
  }
  auto path = StorePath(*args);
  if (!path.ok()) return UsageError(io, "restore", path.status().message());
  const std::string& backup = args->positional()[0];

  // Step 2: copy, then prove the copy opens and is whole.
  Status copied = CopyBackup(backup, *path);
  if (!copied.ok()) return Fail(io, "restore", copied);
  Status checked;
  uint64_t records = 0;
  {
    auto store = OpenStore(*args, io);
    auto report = store.ok() ? VerifyStore(**store)
                             : Result<VerifyReport>(store.status());
    if (!report.ok()) {
      checked = report.status();
    } else if (!report->clean()) {
      checked = Corrupt("the restored store fails verify: " +
                        report->problems.front());
    } else {
      records = report->records_checked;
    }
  }

  // Step 3: keep it only when it checked out.
  if (!checked.ok()) {
    std::error_code ignored;
    std::filesystem::remove_all(*path, ignored);
    return Fail(io, "restore", checked);
  }
  io.out << "restored " << records << " records from " << backup << " into "
         << *path << " (verified)\n";
  return kExitOk;
}

}  // namespace tks::tools

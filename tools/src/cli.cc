// RunTks: picks the command and prints the overall help.
#include <algorithm>
#include <ostream>

#include "commands.h"
#include "passphrase_input.h"
#include "tokenstore/crypto/secret.h"

namespace tks::tools {
namespace {

struct Command {
  std::string_view name;
  int (*run)(CommandArgs, CliIo&);
  std::string_view summary;
};

constexpr Command kCommands[] = {
    {"init", CmdInit, "create a store and its root key file"},
    {"import", CmdImport, "import an SDK token file or SQLite table"},
    {"export", CmdExport, "export to an SDK token file or SQLite table"},
    {"find", CmdFind, "find a record by user/access/refresh/grant/id"},
    {"get", CmdGet, "show the record with an id"},
    {"list", CmdList, "list every record, in insertion order"},
    {"delete", CmdDelete, "delete the record with an id"},
    {"delete-user", CmdDeleteUser, "delete every record of a user (stdin)"},
    {"purge-expired", CmdPurgeExpired, "delete records expired before a time"},
    {"stats", CmdStats, "record count, index sizes, file and map use"},
    {"verify", CmdVerify, "check every record and index entry"},
    {"backup", CmdBackup, "consistent compact copy of the store"},
    {"restore", CmdRestore, "new store from a backup, verified"},
    {"rotate-key", CmdRotateKey, "new root, data or index key"},
};

void PrintHelp(std::ostream& out) {
  out << "usage: tks COMMAND [options]   (tks COMMAND --help for more)\n"
         "\n"
         "tokenstore operator tool. Token values, client secrets and user\n"
         "names are shown redacted unless --reveal is given, and are read\n"
         "from standard input or files, never from arguments.\n"
         "\n"
         "commands:\n";
  for (const Command& command : kCommands) {
    std::string name(command.name);
    name.resize(15, ' ');
    out << "  " << name << command.summary << "\n";
  }
  out << "\n"
         "environment:\n"
         "  TKS_STORE      store directory when --store is not given\n"
         "  TKS_ROOT_KEY   root key (64 hex chars) when no key flag is "
         "given\n"
         "\n"
         "exit codes:\n"
         "  0  success\n"
         "  1  not found (no record matched, no such id, missing file)\n"
         "  2  usage error (bad command line)\n"
         "  3  other error (bad input, conflict, I/O)\n"
         "  4  wrong root key\n"
         "  5  damaged data found (CORRUPT)\n";
}

}  // namespace

int RunTks(std::span<const std::string> args, CliIo io) {
  // Step 1: libsodium first; every command needs it.
  Status sodium = crypto::InitSodium();
  if (!sodium.ok()) {
    io.err << "tks: " << sodium.ToString() << "\n";
    return kExitError;
  }

  // Step 2: help.
  if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
      args[0] == "help") {
    PrintHelp(io.out);
    return args.empty() ? kExitUsage : kExitOk;
  }

  // Step 3: a passphrase comes before the command's own input.
  const auto end_of_flags = std::find(args.begin(), args.end(), "--");
  if (std::find(args.begin(), end_of_flags, "--passphrase") != end_of_flags) {
    auto passphrase = ReadPassphrase(io);
    if (!passphrase.ok()) {
      io.err << "tks: " << passphrase.status().ToString() << "\n";
      return kExitUsage;
    }
    io.passphrase = std::move(passphrase.value());
  }

  // Step 4: the command.
  for (const Command& command : kCommands) {
    if (args[0] == command.name) return command.run(args.subspan(1), io);
  }
  io.err << "tks: unknown command '" << args[0] << "' (see tks --help)\n";
  return kExitUsage;
}

}  // namespace tks::tools

// tks init: a new store and its root key file.
#include <filesystem>
#include <ostream>

#include "cli_common.h"
#include "commands.h"
#include "tokenstore/crypto/root_key.h"

namespace tks::tools {
namespace {

constexpr char kHelp[] =
    "usage: tks init --store DIR\n"
    "                [--key-file FILE | --key-env VAR | --passphrase]\n"
    "\n"
    "Creates a new, empty store in DIR (0700) and a new random root key.\n"
    "The key goes into a new key file (0600, never overwritten): FILE, or\n"
    "DIR.key beside the store by default. Keep the key file out of backups\n"
    "of the store. With --key-env (or $TKS_ROOT_KEY set) the existing key\n"
    "in that variable is used and no key file is written; with\n"
    "--passphrase the key is derived from a passphrase (Argon2id, with a\n"
    "random salt kept in the store) and every later command needs\n"
    "--passphrase too.\n"
    "\n";

bool DirectoryInUse(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return false;
  return !std::filesystem::is_directory(path, error) ||
         !std::filesystem::is_empty(path, error);
}

}  // namespace

int CmdInit(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  auto args = Args::Parse(words, StoreFlags());
  if (!args.ok()) return UsageError(io, "init", args.status().message());
  if (args->Has("help")) {
    io.out << kHelp << StoreFlagsHelp();
    return kExitOk;
  }
  if (!args->positional().empty()) {
    return UsageError(io, "init", "unexpected argument");
  }
  auto path = StorePath(*args);
  if (!path.ok()) return UsageError(io, "init", path.status().message());
  auto source = KeySource(*args, *path, io);
  if (!source.ok()) return UsageError(io, "init", source.status().message());

  // Step 2: never reuse a directory that holds something.
  if (DirectoryInUse(*path)) {
    return Fail(io, "init",
                InvalidArgument(*path + " exists and is not an empty "
                                        "directory; not touching it"));
  }

  // Step 3: a new key file unless the key comes from the environment.
  const bool new_key_file = !source->key_file.empty();
  if (new_key_file) {
    auto created = crypto::CreateKeyFile(source->key_file);
    if (!created.ok()) return Fail(io, "init", created.status());
  }

  // Step 4: create the store; undo the key file if that fails.
  Options options;
  options.path = *path;
  options.create_if_missing = true;
  options.root_key = *source;
  auto store = Store::Open(options);
  if (!store.ok()) {
    if (new_key_file) std::filesystem::remove(source->key_file);
    return Fail(io, "init", store.status());
  }

  // Step 5: say where things are.
  io.out << "created store " << *path << "\n";
  if (new_key_file) {
    io.out << "root key file " << source->key_file << " (0600)\n";
  } else if (source->passphrase != nullptr) {
    io.out << "root key derived from the passphrase (Argon2id)\n";
  } else {
    io.out << "root key from $" << source->key_env << "\n";
  }
  return kExitOk;
}

}  // namespace tks::tools

// tks rotate-key: a new root key for the store.
#include <cstdlib>
#include <ostream>

#include "cli_common.h"
#include "commands.h"
#include "progress.h"
#include "tokenstore/admin.h"
#include "tokenstore/crypto/root_key.h"

namespace tks::tools {
namespace {

constexpr char kHelp[] =
    "usage: tks rotate-key [--store DIR] [key flags] --root\n"
    "                      (--new-key-file FILE | --new-key-env VAR)\n"
    "       tks rotate-key [--store DIR] [key flags] --data [--batch N]\n"
    "       tks rotate-key [--store DIR] [key flags] --index\n"
    "\n"
    "--root: re-wraps the store's keyring under a new root key, in one\n"
    "transaction; records and indexes are untouched. The new key goes into\n"
    "the new file FILE (0600, never overwritten) or is read from $VAR (64\n"
    "hex characters). From then on only the new key opens the store;\n"
    "processes that have it open keep working until they reopen. Backups\n"
    "made before keep needing the old key.\n"
    "\n"
    "--data: a new data key; every record is re-sealed under it in\n"
    "transactions of N records (default 1000), then the old key is\n"
    "forgotten. If it is interrupted, run it again: it goes on with the\n"
    "same new key.\n"
    "\n"
    "--index: a new index key; the user name and token indexes are rebuilt\n"
    "in one transaction.\n"
    "\n"
    "--data and --index need the store to themselves: they refuse while\n"
    "another process has it open. They need the root key from a key file\n"
    "or variable.\n"
    "\n";

constexpr size_t kDefaultBatch = 1000;

// The root key the store opens with, for --data and --index.
Result<crypto::SecretKey> CurrentRootKey(const Args& args, CliIo& io) {
  TKS_ASSIGN_OR_RETURN(std::string path, StorePath(args));
  TKS_ASSIGN_OR_RETURN(RootKeySource source, KeySource(args, path, io));
  if (source.passphrase != nullptr) {
    // TODO(#4): --data/--index on a passphrase store need the store's
    // Argon2id parameters, which the engine keeps to itself.
    return InvalidArgument(
        "--data and --index need a key file or variable; move the store to "
        "one with --root first");
  }
  if (!source.key_file.empty()) return crypto::ReadKeyFile(source.key_file);
  const char* hex = std::getenv(source.key_env.c_str());
  if (hex == nullptr) {
    return InvalidArgument("environment variable " + source.key_env +
                           " is not set");
  }
  return crypto::RootKeyFromHex(hex);
}

// --data or --index on an open store.
int RotateInner(const Args& args, CliIo& io, Store& store) {
  // Step 1: the root key, and the batch size.
  auto root = CurrentRootKey(args, io);
  if (!root.ok()) return Fail(io, "rotate-key", root.status());
  size_t batch = kDefaultBatch;
  if (auto text = args.Value("batch")) {
    batch = std::strtoul(text->c_str(), nullptr, 10);
    if (batch == 0 || batch > 100000) {
      return UsageError(io, "rotate-key", "--batch wants 1 to 100000");
    }
  }

  // Step 2: the rotation.
  if (args.Has("index")) {
    Status rotated = RotateIndexKey(store, *root);
    if (!rotated.ok()) return Fail(io, "rotate-key", rotated);
    io.out << "rebuilt the indexes of " << store.path()
           << " under a new index key\n";
    return kExitOk;
  }
  Progress progress(io.err, io.terminal, "re-sealed");
  auto resealed = RotateDataKey(store, *root, batch,
                                [&](uint64_t done) { progress.Update(done); });
  progress.Finish();
  if (!resealed.ok()) return Fail(io, "rotate-key", resealed.status());
  io.out << "re-sealed " << *resealed << " records of " << store.path()
         << " under a new data key\n";
  return kExitOk;
}

// The new root key, from a new key file or an environment variable.
Result<crypto::SecretKey> NewRootKey(const Args& args) {
  auto file = args.Value("new-key-file");
  auto env = args.Value("new-key-env");
  if (file.has_value() == env.has_value()) {
    return InvalidArgument("give --new-key-file or --new-key-env");
  }
  if (file) return crypto::CreateKeyFile(*file);
  const char* hex = std::getenv(env->c_str());
  if (hex == nullptr) {
    return InvalidArgument("environment variable " + *env + " is not set");
  }
  return crypto::RootKeyFromHex(hex);
}

}  // namespace

int CmdRotateKey(CommandArgs words, CliIo& io) {
  // Step 1: flags.
  auto args =
      Args::Parse(words, StoreFlags({{"new-key-file", "new-key-env", "batch"},
                                     {"root", "data", "index"}}));
  if (!args.ok()) return UsageError(io, "rotate-key", args.status().message());
  if (args->Has("help")) {
    io.out << kHelp << StoreFlagsHelp();
    return kExitOk;
  }
  if (!args->positional().empty()) {
    return UsageError(io, "rotate-key", "unexpected argument");
  }
  const int kinds = args->Has("root") + args->Has("data") + args->Has("index");
  if (kinds != 1) {
    return UsageError(io, "rotate-key", "give one of --root, --data, --index");
  }
  if (!args->Has("root")) {
    auto store = OpenStore(*args, io);
    if (!store.ok()) return Fail(io, "rotate-key", store.status());
    return RotateInner(*args, io, **store);
  }

  // Step 2: open with the old key before making the new one.
  auto store = OpenStore(*args, io);
  if (!store.ok()) return Fail(io, "rotate-key", store.status());
  auto new_key = NewRootKey(*args);
  if (!new_key.ok()) return Fail(io, "rotate-key", new_key.status());

  // Step 3: re-wrap.
  Status rotated = RotateRootKey(**store, *new_key);
  if (!rotated.ok()) {
    if (auto file = args->Value("new-key-file")) {
      io.err << "tks rotate-key: the store is unchanged; " << *file
             << " is not in use\n";
    }
    return Fail(io, "rotate-key", rotated);
  }
  io.out << "rotated the root key of " << (*store)->path()
         << "; only the new key opens it now\n";
  return kExitOk;
}

}  // namespace tks::tools

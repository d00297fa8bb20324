// tks rotate-key: a new root, data or index key for the store.
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
    "       tks rotate-key [--store DIR] [key flags] --index [--batch N]\n"
    "\n"
    "--root: re-wraps the store's keyring under a new root key, in one\n"
    "transaction; records and indexes are untouched. The new key goes into\n"
    "the new file FILE (0600, never overwritten) or is read from $VAR (64\n"
    "hex characters). From then on only the new key opens the store;\n"
    "processes that have it open keep working until they reopen. Backups\n"
    "made before keep needing the old key.\n"
    "\n"
    "--data: a new data key; every new write uses it at once, and every\n"
    "older record is re-sealed under it in transactions of N records\n"
    "(default 1000), then the old key is forgotten. If it is interrupted,\n"
    "run it again: it goes on with the same new key.\n"
    "\n"
    "--index: a new index key; the user name and token indexes are built\n"
    "under it beside the old ones, in transactions of N records (default\n"
    "1000), while every write keeps both; then one short transaction\n"
    "switches to them and frees the old ones. Finds use the old indexes\n"
    "until the switch. If it is interrupted, run it again: it goes on\n"
    "with the same new key.\n"
    "\n"
    "--data and --index run while other processes keep the store open:\n"
    "they pick up the new keys by themselves, without a reopen. They work\n"
    "with any root key source, a passphrase included. A process that was\n"
    "opened before a --root rotation must be reopened with the new root key\n"
    "before a --data or --index rotation.\n"
    "\n";

constexpr size_t kDefaultBatch = 1000;

// --data or --index on an open store.
int RotateInner(const Args& args, CliIo& io, Store& store) {
  // Step 1: the batch size (the handle's own root key does the rest).
  size_t batch = kDefaultBatch;
  if (auto text = args.Value("batch")) {
    batch = std::strtoul(text->c_str(), nullptr, 10);
    if (batch == 0 || batch > 100000) {
      return UsageError(io, "rotate-key", "--batch wants 1 to 100000");
    }
  }

  // Step 2: the rotation.
  if (args.Has("index")) {
    Progress progress(io.err, io.terminal, "indexed");
    auto indexed = RotateIndexKey(
        store, batch, [&](uint64_t done) { progress.Update(done); });
    progress.Finish();
    if (!indexed.ok()) return Fail(io, "rotate-key", indexed.status());
    io.out << "indexed " << *indexed << " records of " << store.path()
           << " under a new index key\n";
    return kExitOk;
  }
  Progress progress(io.err, io.terminal, "re-sealed");
  auto resealed = RotateDataKey(store, batch,
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

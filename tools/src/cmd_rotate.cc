// tks rotate-key: a new root key for the store.
#include <ostream>

#include "cli_common.h"
#include "commands.h"
#include "tokenstore/admin.h"
#include "tokenstore/crypto/root_key.h"

namespace tks::tools {
namespace {

constexpr char kHelp[] =
    "usage: tks rotate-key [--store DIR] [key flags] --root\n"
    "                      (--new-key-file FILE | --new-key-env VAR)\n"
    "\n"
    "--root: re-wraps the store's keyring under a new root key, in one\n"
    "transaction; records and indexes are untouched. The new key goes into\n"
    "the new file FILE (0600, never overwritten) or is read from $VAR (64\n"
    "hex characters). From then on only the new key opens the store;\n"
    "processes that have it open keep working until they reopen.\n"
    "Backups made before keep needing the old key.\n"
    "\n"
    "--data (re-seal every record under a new data key) and --index\n"
    "(rebuild the indexes under a new index key) are not available yet.\n"
    "\n";

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
  auto args = Args::Parse(words, StoreFlags({{"new-key-file", "new-key-env"},
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
    // TODO(#4): data key rotation (re-seal in bounded, resumable batches)
    // and index key rotation (rebuild) need engine support that other
    // open handles can follow; not built yet.
    return Fail(io, "rotate-key",
                Status(Code::kInternal,
                       "--data and --index rotation are not implemented yet"));
  }

  // Step 2: open with the old key before making the new one.
  auto store = OpenStore(*args);
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

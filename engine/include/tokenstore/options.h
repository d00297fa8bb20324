// Options for opening a store.
#ifndef TOKENSTORE_OPTIONS_H_
#define TOKENSTORE_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "tokenstore/crypto/secret.h"
#include "tokenstore/log.h"

namespace tks {

// How far a successful save or delete has reached when it returns.
enum class Durability : int {
  // On stable storage: data and meta pages are flushed (LMDB full sync).
  kFull = 0,
  // Data flushed, the meta page flushed at the next commit: a crash can
  // lose the last commit but never corrupts the store.
  kNoMetaSync = 1,
  // Nothing flushed by the engine; the OS writes back when it likes. A
  // crash of the machine (not of the process) can lose recent commits.
  kNoSync = 2,
};

// Where the root key comes from. Exactly one source must be set, except
// for an ephemeral store, which makes a random key when none is given.
struct RootKeySource {
  // Path of a key file made by `tks init` (64 hex characters, mode 0600).
  std::string key_file;
  // Name of an environment variable holding the key as 64 hex characters.
  std::string key_env;
  // The key itself, e.g. from a secrets manager (32 raw bytes).
  std::shared_ptr<const crypto::SecretKey> key;
  // A passphrase, stretched with Argon2id using the store's salt.
  std::shared_ptr<const crypto::SecretString> passphrase;
};

struct Options {
  // The store directory; created 0700 when missing and create_if_missing.
  // Ignored (and may be empty) when ephemeral.
  std::string path;
  bool create_if_missing = true;

  // Open a new store in a private temporary directory ($TMPDIR or /tmp)
  // that is deleted on close. Defaults to Durability::kNoSync.
  bool ephemeral = false;

  RootKeySource root_key;
  Durability durability = Durability::kFull;

  // First map size in bytes; the map doubles by itself when full, up to
  // max_map_size (0 means no limit but the disk and address space).
  size_t initial_map_size = size_t{64} << 20;
  size_t max_map_size = 0;

  // LMDB reader slots, shared by all processes using the store.
  unsigned max_readers = 256;

  // Concurrent writers in this process share one transaction and one
  // sync (group commit). Up to this many saves share one commit.
  size_t max_group_size = 256;

  // Where lifecycle events go; none when empty.
  LogSink log;
};

}  // namespace tks

#endif  // TOKENSTORE_OPTIONS_H_

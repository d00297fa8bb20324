// The keyring generation in meta: read and written inside a transaction.
// Store::Impl::KeysAt (keyring_sync.cc) uses it to follow keyring changes
// made by other handles.
#ifndef TOKENSTORE_ENGINE_KEYRING_SYNC_H_
#define TOKENSTORE_ENGINE_KEYRING_SYNC_H_

#include <lmdb.h>

#include <cstdint>

#include "tokenstore/status.h"

namespace tks {

// The generation stored in `meta`; 0 when absent (a store from before
// generations, or one whose keyring never changed). CORRUPT if malformed.
Result<uint64_t> ReadKeyringGeneration(MDB_txn* txn, MDB_dbi meta);

// Stores `generation`. REQUIRES: a write transaction.
Status WriteKeyringGeneration(MDB_txn* txn, MDB_dbi meta, uint64_t generation);

}  // namespace tks

#endif  // TOKENSTORE_ENGINE_KEYRING_SYNC_H_

// How a handle follows keyring changes made by other handles (DESIGN §5
// key rotation while the store is in use). Each keyring change commits a
// higher generation in meta. Writers compare it at the start of every
// transaction; readers only when something did not open or a find
// missed, so a hit costs nothing extra.
#include "keyring_sync.h"

#include "lmdb_wrap.h"
#include "store_impl.h"

namespace tks {

Result<uint64_t> ReadKeyringGeneration(MDB_txn* txn, MDB_dbi meta) {
  std::string_view bytes;
  bool found = false;
  TKS_RETURN_IF_ERROR(
      lmdb::Get(txn, meta, layout::kMetaKeyringGeneration, &bytes, &found));
  if (!found) return uint64_t{0};
  if (bytes.size() != 8) return Corrupt("keyring generation is malformed");
  return layout::GetU64(bytes.data());
}

Status WriteKeyringGeneration(MDB_txn* txn, MDB_dbi meta, uint64_t generation) {
  std::string bytes;
  layout::PutU64(&bytes, generation);
  return lmdb::Put(txn, meta, layout::kMetaKeyringGeneration, bytes, 0, "meta");
}

Result<const KeyState*> Store::Impl::KeysAt(MDB_txn* txn) const {
  // Step 1: the snapshot's generation; usually the current keys.
  TKS_ASSIGN_OR_RETURN(uint64_t generation,
                       ReadKeyringGeneration(txn, dbs_.meta));
  const KeyState* current = current_keys_.load(std::memory_order_acquire);
  if (current->generation == generation) return current;

  // Step 2: a generation loaded before.
  std::lock_guard lock(keys_mu_);
  auto known = loaded_keys_.find(generation);
  if (known != loaded_keys_.end()) {
    const KeyState* state = known->second.get();
    if (generation > current_keys_.load()->generation) {
      current_keys_.store(state, std::memory_order_release);
    }
    return state;
  }

  // Step 3: unwrap the snapshot's keyring with this handle's root key.
  std::string_view check;
  std::string_view wrapped;
  bool has_check = false;
  bool has_ring = false;
  TKS_RETURN_IF_ERROR(
      lmdb::Get(txn, dbs_.meta, layout::kMetaKeyCheck, &check, &has_check));
  TKS_RETURN_IF_ERROR(
      lmdb::Get(txn, dbs_.meta, layout::kMetaKeyring, &wrapped, &has_ring));
  if (!has_check || !has_ring) return Corrupt("store has no keyring");
  if (!crypto::CheckRootKey(*root_key_, check)) {
    return Status(Code::kWrongKey,
                  "the root key of store " + path_ +
                      " was rotated by another handle; reopen the store "
                      "with the new key");
  }
  TKS_ASSIGN_OR_RETURN(crypto::Keyring keyring,
                       crypto::Keyring::Unwrap(*root_key_, wrapped));
  TKS_ASSIGN_OR_RETURN(std::unique_ptr<KeyState> state,
                       MakeKeyState(std::move(keyring), generation, txn));
  Log(LogLevel::kInfo, "store " + path_ + " loaded keyring generation " +
                           std::to_string(generation));
  return Keep(std::move(state));
}

Result<const KeyState*> Store::Impl::KeysFor(MDB_txn* txn) const {
  // A write transaction's id is past every snapshot's, and it refreshed
  // the keys when it began; so only an older read snapshot looks further.
  const KeyState* current = current_keys_.load(std::memory_order_acquire);
  if (mdb_txn_id(txn) >= current->seen_txnid) return current;
  return KeysAt(txn);
}

Result<std::unique_ptr<KeyState>> Store::Impl::MakeKeyState(
    crypto::Keyring keyring, uint64_t generation, MDB_txn* txn) const {
  // Step 1: the index key's hashes and set.
  TKS_ASSIGN_OR_RETURN(crypto::BlindIndexer indexer,
                       crypto::BlindIndexer::Create(keyring.index_key()));
  const crypto::IndexSet set = keyring.index_set();
  auto state = std::make_unique<KeyState>(KeyState{
      std::move(keyring), std::move(indexer), keyed_set(set), std::nullopt,
      keyed_set(crypto::OtherSet(set)), generation, lmdb::SnapshotId(txn)});

  // Step 2: those of a pending index key change.
  if (const crypto::SecretKey* pending = state->keyring.pending_index_key()) {
    TKS_ASSIGN_OR_RETURN(state->pending_indexer,
                         crypto::BlindIndexer::Create(*pending));
  }
  return state;
}

const KeyState* Store::Impl::Keep(std::unique_ptr<KeyState> state) const {
  // Known from now on; current when newer than the current keys.
  const KeyState* kept = state.get();
  loaded_keys_[kept->generation] = std::move(state);
  const KeyState* current = current_keys_.load();
  if (current == nullptr || kept->generation > current->generation) {
    current_keys_.store(kept, std::memory_order_release);
  }
  return kept;
}

Result<bool> Store::Impl::KeysChangedSince(MDB_txn* txn, uint64_t used) const {
  TKS_ASSIGN_OR_RETURN(uint64_t generation,
                       ReadKeyringGeneration(txn, dbs_.meta));
  if (generation == used && generation == keys().generation) return false;
  TKS_RETURN_IF_ERROR(KeysAt(txn).status());
  return true;
}

Status Store::Impl::RefreshKeys(MDB_txn* txn) const {
  // A write transaction sees the newest keyring, so this makes it current.
  return KeysAt(txn).status();
}

Status Store::Impl::AdoptKeys(crypto::Keyring keyring, uint64_t generation,
                              MDB_txn* txn) {
  TKS_ASSIGN_OR_RETURN(std::unique_ptr<KeyState> state,
                       MakeKeyState(std::move(keyring), generation, txn));
  std::lock_guard lock(keys_mu_);
  Keep(std::move(state));
  return Status::Ok();
}

std::shared_ptr<const crypto::SecretKey> Store::Impl::root_key() const {
  std::lock_guard lock(keys_mu_);
  return root_key_;
}

void Store::Impl::set_root_key(crypto::SecretKey key) {
  auto shared = std::make_shared<const crypto::SecretKey>(std::move(key));
  std::lock_guard lock(keys_mu_);
  root_key_ = std::move(shared);
}

}  // namespace tks

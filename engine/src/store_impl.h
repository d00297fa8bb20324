// Store::Impl: the state behind a Store handle and the two ways to reach
// the LMDB environment: Read (a reused per-thread read transaction) and
// Write (a group-committed write transaction).
#ifndef TOKENSTORE_ENGINE_STORE_IMPL_H_
#define TOKENSTORE_ENGINE_STORE_IMPL_H_

#include <lmdb.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "layout.h"
#include "lmdb_wrap.h"
#include "tokenstore/crypto/blind_index.h"
#include "tokenstore/crypto/keyring.h"
#include "tokenstore/store.h"
#include "write_queue.h"

namespace tks {

// Keys in use as of keyring generation `generation` (meta "keyring_gen";
// every change of the keyring commits a higher one): the keyring, the
// blind indexer of its index key and the keyed indexes it fills; while an
// index key change is pending, also the pending key's indexer and the set
// being built with it, which every write keeps up to date too.
struct KeyState {
  crypto::Keyring keyring;
  crypto::BlindIndexer indexer;
  layout::KeyedDatabases indexes;
  std::optional<crypto::BlindIndexer> pending_indexer;
  layout::KeyedDatabases pending_indexes;
  uint64_t generation = 0;
  // The snapshot (LMDB transaction id) these keys were read in: every
  // snapshot from it on holds this generation or a newer one.
  size_t seen_txnid = 0;
};

// What a write step may use. `wrote` turns true at the first change; a
// step that fails after that makes the whole shared transaction abort.
struct WriteContext {
  MDB_txn* txn = nullptr;
  bool wrote = false;
};

class Store::Impl {
 public:
  Impl() = default;
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // Runs `fn` inside this thread's read transaction.
  // `fn` is called as Status(MDB_txn*); the snapshot ends when it returns.
  template <typename Fn>
  Status Read(Fn&& fn) const {
    std::shared_lock<std::shared_mutex> lock(env_lock_, std::defer_lock);
    MDB_txn* txn = nullptr;
    TKS_RETURN_IF_ERROR(BeginRead(lock, &txn));
    Status status = fn(txn);
    mdb_txn_reset(txn);
    return status;
  }

  // Runs `fn` inside a write transaction shared with concurrent writers and
  // returns once its commit is durable (per the durability mode). `fn` may
  // run more than once (after map growth or another step's failure), so it
  // must not change anything outside the transaction. Every transaction
  // first adopts a keyring another handle changed (RefreshKeys).
  Status Write(const std::function<Status(WriteContext&)>& fn);

  // Grows the map once, now, so that `extra_bytes` more fit after the
  // pages in use: a large batch then does not fill the map midway, which
  // would abort its transaction and run it again after each doubling.
  Status ReserveMap(size_t extra_bytes);

  // Like Write, but `fn` has its transaction to itself: for steps that
  // change the keyring, which the other steps of a group must not see
  // half-changed.
  Status WriteAlone(const std::function<Status(WriteContext&)>& fn);

  // Runs a group of queued write steps in one transaction (WriteQueue).
  void CommitGroup(std::vector<WriteQueue::Request*>& group);

  // In Durability::kFull, flushes what earlier commits left unflushed
  // (their meta page); a no-op in the other modes. IO_FATAL (and a failed
  // handle) when the flush fails.
  Status SyncCommitted();

  // Ends a thread's cached read transaction (the thread is exiting) and
  // frees its reader slot. REQUIRES: the store is open.
  void ForgetReader(MDB_txn* txn) const;

  // USED_AFTER_FORK in a forked child.
  Status CheckFork() const;

  void Log(LogLevel level, const std::string& message) const;

  // The newest keys this handle knows. The reference stays valid until
  // the handle closes (replaced keys are kept, since other threads may
  // still be using them); safe from any thread.
  const KeyState& keys() const {
    return *current_keys_.load(std::memory_order_acquire);
  }

  // The keys of the snapshot `txn` reads: the current ones when the
  // generations agree, else the keyring stored in `txn`, unwrapped with
  // this handle's root key (and made current when newer). WRONG_KEY when
  // the root key was rotated by another handle (reopen with the new key).
  Result<const KeyState*> KeysAt(MDB_txn* txn) const;

  // The keys to read snapshot `txn` with: the current ones, unless the
  // snapshot is older than they are (a thread adopted newer keys while
  // this one's snapshot began before): then the snapshot's own (KeysAt),
  // so an index is never probed in a snapshot where it is half built.
  Result<const KeyState*> KeysFor(MDB_txn* txn) const;

  // True when the keyring generation in `txn` differs from `used` or from
  // the current keys; adopts the snapshot's keys when newer. A find that
  // missed calls this to know whether a retry can hit.
  Result<bool> KeysChangedSince(MDB_txn* txn, uint64_t used) const;

  // Makes `keyring`, unwrapped from generation `generation` in snapshot
  // `txn`, known and current when newer. Called by Open.
  Status AdoptKeys(crypto::Keyring keyring, uint64_t generation, MDB_txn* txn);

  // This handle's root key (guarded memory), and its replacement after
  // RotateRootKey.
  std::shared_ptr<const crypto::SecretKey> root_key() const;
  void set_root_key(crypto::SecretKey key);

  const layout::Databases& dbs() const { return dbs_; }
  // Keyed index set A or B (KeyState says which one a key fills).
  const layout::KeyedDatabases& keyed_set(crypto::IndexSet set) const {
    return keyed_sets_[static_cast<size_t>(set)];
  }
  const std::string& path() const { return path_; }
  MDB_env* env() const { return env_; }

  // --- Set up by Open (store_open.cc). ---
  Options options_;
  std::string path_;
  bool ephemeral_ = false;
  MDB_env* env_ = nullptr;
  layout::Databases dbs_;
  std::array<layout::KeyedDatabases, 2> keyed_sets_;
  uint64_t fork_generation_ = 0;
  uint64_t instance_id_ = 0;

 private:
  // Locks `lock` and renews this thread's read transaction into *txn,
  // adopting a map grown by another process on the way.
  Status BeginRead(std::shared_lock<std::shared_mutex>& lock,
                   MDB_txn** txn) const;
  // Sets *out to this thread's read transaction for this store, renewed;
  // returns the LMDB code.
  int RenewReadTxn(MDB_txn** out) const;
  // Adopts a map size grown by another process (MDB_MAP_RESIZED).
  Status AdoptMapSize() const;
  // Doubles the map, or more until it holds `at_least` bytes. MAP_FULL at
  // max_map_size.
  Status GrowMap(size_t at_least = 0);
  // Puts the handle in the failed state (the first failure's reason is
  // kept) and returns the IO_FATAL for the call that hit it.
  Status MarkFailed(std::string_view what, std::string_view why);
  // The IO_FATAL for calls after the handle failed.
  Status FailedEarlier() const;
  // Runs one attempt of a group; returns false to ask for a retry.
  bool TryCommitGroup(std::vector<WriteQueue::Request*>& pending);
  // Adopts the keyring of write transaction `txn` if another handle
  // changed it (keyring_sync.cc).
  Status RefreshKeys(MDB_txn* txn) const;
  // The key state of `keyring` (generation `generation`, read in
  // snapshot `txn`): indexers and index sets.
  Result<std::unique_ptr<KeyState>> MakeKeyState(crypto::Keyring keyring,
                                                 uint64_t generation,
                                                 MDB_txn* txn) const;
  // Installs `state` under keys_mu_ (held) and returns it.
  const KeyState* Keep(std::unique_ptr<KeyState> state) const;

  // Keys: every generation this handle loaded, by generation, kept until
  // close; current_keys_ points at the newest. keys_mu_ guards
  // loaded_keys_ and root_key_.
  mutable std::mutex keys_mu_;
  mutable std::map<uint64_t, std::unique_ptr<KeyState>> loaded_keys_;
  mutable std::atomic<const KeyState*> current_keys_{nullptr};
  std::shared_ptr<const crypto::SecretKey> root_key_;

  // Shared by every transaction; exclusive to resize the map.
  mutable std::shared_mutex env_lock_;
  // Every read transaction handed to a thread, aborted at close.
  mutable std::mutex readers_mu_;
  mutable std::vector<MDB_txn*> read_txns_;

  std::atomic<bool> failed_{false};
  mutable std::mutex failure_mu_;
  std::string failure_;  // Guarded by failure_mu_.
  WriteQueue queue_{*this};
};

// Milliseconds since the epoch.
uint64_t NowMs();

// Marks a store instance id as open (store_open.cc).
void RegisterLiveStore(uint64_t id);

}  // namespace tks

#endif  // TOKENSTORE_ENGINE_STORE_IMPL_H_

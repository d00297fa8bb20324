#include "store_impl.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <unordered_set>

#include "fork_guard.h"

namespace tks {
namespace {

// This thread's read transactions, one per open store it has read from.
struct CachedTxn {
  uint64_t store = 0;
  const Store::Impl* impl = nullptr;
  MDB_txn* txn = nullptr;
};

// Ids of open stores, so threads can drop cache entries of closed ones.
std::mutex g_live_mu;
std::unordered_set<uint64_t> g_live_stores;

// The cache, which gives its reader slots back when the thread exits:
// without that, every short-lived thread that read a store kept an LMDB
// reader slot until the store closed (READERS_FULL after max_readers
// threads; issue #5).
struct ThreadReadTxns : std::vector<CachedTxn> {
  ~ThreadReadTxns() {
    // Under g_live_mu a live store cannot finish closing meanwhile.
    std::lock_guard lock(g_live_mu);
    for (const CachedTxn& cached : *this) {
      if (g_live_stores.count(cached.store) != 0) {
        cached.impl->ForgetReader(cached.txn);
      }
    }
  }
};
thread_local ThreadReadTxns t_read_txns;

void ForgetClosedStores() {
  std::lock_guard lock(g_live_mu);
  std::erase_if(t_read_txns, [](const CachedTxn& cached) {
    return g_live_stores.count(cached.store) == 0;
  });
}

}  // namespace

uint64_t NowMs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

void RegisterLiveStore(uint64_t id) {
  std::lock_guard lock(g_live_mu);
  g_live_stores.insert(id);
}

Store::Impl::~Impl() {
  // Step 1: in a forked child the environment belongs to the parent.
  if (env_ == nullptr) return;
  if (ForkGeneration() != fork_generation_) return;

  // Step 2: forget this store in every thread's cache, free its readers.
  {
    std::lock_guard lock(g_live_mu);
    g_live_stores.erase(instance_id_);
  }
  std::erase_if(t_read_txns, [this](const CachedTxn& cached) {
    return cached.store == instance_id_;
  });
  for (MDB_txn* txn : read_txns_) mdb_txn_abort(txn);
  read_txns_.clear();
  mdb_env_close(env_);
  env_ = nullptr;
  Log(LogLevel::kInfo, "closed store " + path_);

  // Step 3: an ephemeral store leaves nothing behind.
  if (ephemeral_) {
    std::remove((path_ + "/data.mdb").c_str());
    std::remove((path_ + "/lock.mdb").c_str());
    ::rmdir(path_.c_str());
  }
}

void Store::Impl::ForgetReader(MDB_txn* txn) const {
  {
    std::lock_guard lock(readers_mu_);
    std::erase(read_txns_, txn);
  }
  mdb_txn_abort(txn);
}

Status Store::Impl::CheckFork() const {
  if (ForkGeneration() != fork_generation_) {
    return {Code::kUsedAfterFork,
            "store handle used in a forked child; open the store again"};
  }
  return Status::Ok();
}

void Store::Impl::Log(LogLevel level, const std::string& message) const {
  if (options_.log) options_.log(level, message);
}

int Store::Impl::RenewReadTxn(MDB_txn** out) const {
  // Step 1: this thread's cached transaction for this store, renewed.
  for (const CachedTxn& cached : t_read_txns) {
    if (cached.store != instance_id_) continue;
    *out = cached.txn;
    return mdb_txn_renew(cached.txn);
  }

  // Step 2: none yet: begin one and remember it here and in the store.
  if (t_read_txns.size() >= 16) ForgetClosedStores();
  MDB_txn* txn = nullptr;
  const int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
  if (rc != MDB_SUCCESS) return rc;
  {
    std::lock_guard lock(readers_mu_);
    read_txns_.push_back(txn);
  }
  t_read_txns.push_back({instance_id_, this, txn});
  *out = txn;
  return MDB_SUCCESS;
}

Status Store::Impl::BeginRead(std::shared_lock<std::shared_mutex>& lock,
                              MDB_txn** txn) const {
  TKS_RETURN_IF_ERROR(CheckFork());
  for (int attempt = 0;; ++attempt) {
    // A snapshot, under the shared lock that keeps the map still.
    lock.lock();
    const int rc = RenewReadTxn(txn);
    if (rc == MDB_MAP_RESIZED && attempt < 3) {
      // Another process grew the map: adopt its size and try again.
      lock.unlock();
      TKS_RETURN_IF_ERROR(AdoptMapSize());
      continue;
    }
    if (rc != MDB_SUCCESS) {
      lock.unlock();
      return lmdb::ToStatus(rc, "begin read");
    }
    return Status::Ok();
  }
}

Status Store::Impl::AdoptMapSize() const {
  std::unique_lock lock(env_lock_);
  return lmdb::ToStatus(mdb_env_set_mapsize(env_, 0), "adopt map size");
}

Status Store::Impl::GrowMap(size_t at_least) {
  // Step 1: double the map (again, until `at_least` fits), up to the
  // limit.
  std::unique_lock lock(env_lock_);
  MDB_envinfo info{};
  mdb_env_info(env_, &info);
  const size_t current = info.me_mapsize;
  size_t wanted = current * 2;
  while (wanted < at_least) wanted *= 2;
  const size_t limit = options_.max_map_size;
  if (limit != 0 && wanted > limit) wanted = limit;
  if (wanted <= current) {
    return {Code::kMapFull, "store map is full at its limit of " +
                                std::to_string(current) + " bytes"};
  }

  // Step 2: resize; LMDB extends the file lazily.
  TKS_RETURN_IF_ERROR(
      lmdb::ToStatus(mdb_env_set_mapsize(env_, wanted), "grow map"));
  Log(LogLevel::kInfo, "map grown from " + std::to_string(current) + " to " +
                           std::to_string(wanted) + " bytes");
  return Status::Ok();
}

Status Store::Impl::ReserveMap(size_t extra_bytes) {
  // Step 1: the room left after the last page in use.
  MDB_envinfo info{};
  MDB_stat stat{};
  {
    std::shared_lock lock(env_lock_);
    mdb_env_info(env_, &info);
    TKS_RETURN_IF_ERROR(lmdb::ToStatus(mdb_env_stat(env_, &stat), "stat"));
  }
  const size_t used = (info.me_last_pgno + 1) * size_t{stat.ms_psize};
  if (info.me_mapsize >= used + extra_bytes) return Status::Ok();

  // Step 2: grow once to fit; at the limit, the write itself will tell.
  const size_t limit = options_.max_map_size;
  if (limit != 0 && info.me_mapsize >= limit) return Status::Ok();
  return GrowMap(used + extra_bytes);
}

Status Store::Impl::Write(const std::function<Status(WriteContext&)>& fn) {
  TKS_RETURN_IF_ERROR(CheckFork());
  if (failed_.load()) return FailedEarlier();
  return queue_.Submit(fn, options_.max_group_size, false);
}

Status Store::Impl::WriteAlone(const std::function<Status(WriteContext&)>& fn) {
  TKS_RETURN_IF_ERROR(CheckFork());
  if (failed_.load()) return FailedEarlier();
  return queue_.Submit(fn, 1, true);
}

Status Store::Impl::SyncCommitted() {
  // Only the fully durable mode defers the meta flush to here.
  if (options_.durability != Durability::kFull || ephemeral_) {
    return Status::Ok();
  }
  const int rc = mdb_env_sync(env_, 1);
  if (rc == MDB_SUCCESS) return Status::Ok();

  // A failed flush is never retried into a success: fail the handle.
  return MarkFailed("sync", mdb_strerror(rc));
}

Status Store::Impl::MarkFailed(std::string_view what, std::string_view why) {
  // The first failure is the one every later call reports.
  {
    std::lock_guard lock(failure_mu_);
    if (failure_.empty())
      failure_ = std::string(what) + ": " + std::string(why);
  }
  failed_.store(true);
  Log(LogLevel::kError, std::string(what) + " failed: " + std::string(why));
  return {Code::kIoFatal, std::string(what) + " failed (" + std::string(why) +
                              "); reopen the store"};
}

Status Store::Impl::FailedEarlier() const {
  std::lock_guard lock(failure_mu_);
  return {Code::kIoFatal,
          "store handle failed earlier (" + failure_ + "); reopen the store"};
}

void Store::Impl::CommitGroup(std::vector<WriteQueue::Request*>& group) {
  std::vector<WriteQueue::Request*> pending = group;
  while (!pending.empty() && !TryCommitGroup(pending)) {
  }
}

bool Store::Impl::TryCommitGroup(std::vector<WriteQueue::Request*>& pending) {
  auto fail_all = [&pending](const Status& status) {
    for (WriteQueue::Request* request : pending) request->status = status;
    pending.clear();
    return true;
  };
  if (failed_.load()) return fail_all(FailedEarlier());

  bool grow = false;
  {
    // Step 1: one write transaction for the whole group.
    std::shared_lock lock(env_lock_);
    MDB_txn* raw = nullptr;
    const int rc = mdb_txn_begin(env_, nullptr, 0, &raw);
    if (rc == MDB_MAP_RESIZED) {
      lock.unlock();
      Status adopted = AdoptMapSize();
      return adopted.ok() ? false : fail_all(adopted);
    }
    if (rc != MDB_SUCCESS) return fail_all(lmdb::ToStatus(rc, "begin write"));
    lmdb::Txn txn(raw);

    // Step 1b: the keys of this transaction, if another handle changed
    // them (every step below seals and hashes with the current keys).
    Status keys = RefreshKeys(raw);
    if (!keys.ok()) return fail_all(keys);

    // Step 2: each step; a failed step drops out with its own result. A
    // step that failed after writing spoils the transaction: start over.
    for (auto it = pending.begin(); it != pending.end();) {
      WriteContext context{raw, false};
      Status status = (*(*it)->step)(context);
      if (status.ok()) {
        ++it;
        continue;
      }
      if (status.code() == Code::kMapFull) {
        grow = true;
        break;
      }
      (*it)->status = std::move(status);
      it = pending.erase(it);
      if (context.wrote) return false;
    }

    // Step 3: commit once for all; an I/O failure poisons the handle.
    if (!grow) {
      Status committed = txn.Commit();
      if (committed.ok()) {
        pending.clear();
        return true;
      }
      if (committed.code() != Code::kMapFull) {
        return fail_all(MarkFailed("commit", committed.message()));
      }
      grow = true;
    }
  }

  // Step 4: the map was full: grow it and run the group again.
  Status grown = GrowMap();
  return grown.ok() ? false : fail_all(grown);
}

}  // namespace tks

// BackupStore and RotateRootKey.
#include <sys/stat.h>

#include <filesystem>

#include "layout.h"
#include "lmdb_wrap.h"
#include "store_impl.h"
#include "tokenstore/admin.h"

namespace tks {
namespace {

// Creates `dir` 0700, or accepts an empty one. INVALID_ARGUMENT if it
// holds something or is not a directory.
Status PrepareEmptyDirectory(const std::string& dir) {
  std::error_code error;
  if (std::filesystem::exists(dir, error)) {
    if (!std::filesystem::is_directory(dir, error) ||
        !std::filesystem::is_empty(dir, error)) {
      return InvalidArgument(dir + " exists and is not an empty directory");
    }
  } else if (!std::filesystem::create_directory(dir, error)) {
    return Internal("cannot create " + dir + ": " + error.message());
  }
  if (::chmod(dir.c_str(), 0700) != 0) {
    return Internal("cannot make " + dir + " private");
  }
  return Status::Ok();
}

}  // namespace

Status BackupStore(const Store& store, const std::string& dest_dir) {
  // Step 1: a private, empty destination.
  const Store::Impl& impl = store.impl();
  TKS_RETURN_IF_ERROR(impl.CheckFork());
  TKS_RETURN_IF_ERROR(PrepareEmptyDirectory(dest_dir));

  // Step 2: LMDB's consistent copy, compacted, from a read snapshot;
  // inside Read so this process cannot resize the map meanwhile.
  Status copied = impl.Read([&](MDB_txn*) {
    return lmdb::ToStatus(
        mdb_env_copy2(impl.env(), dest_dir.c_str(), MDB_CP_COMPACT),
        "backup to " + dest_dir);
  });

  // Step 3: the copy is as private as the store; remove it on failure.
  const std::string data = dest_dir + "/data.mdb";
  if (copied.ok() && ::chmod(data.c_str(), 0600) != 0) {
    copied = Internal("cannot make " + data + " private");
  }
  if (!copied.ok()) {
    std::error_code ignored;
    std::filesystem::remove(data, ignored);
    return copied;
  }
  impl.Log(LogLevel::kInfo,
           "backed up store " + impl.path() + " to " + dest_dir);
  return Status::Ok();
}

Status RotateRootKey(Store& store, const crypto::SecretKey& new_root_key) {
  // Step 1: the check value of the new key, and a copy for this handle.
  Store::Impl& impl = store.impl();
  TKS_RETURN_IF_ERROR(impl.CheckFork());
  const std::string check = crypto::KeyCheckValue(new_root_key);
  TKS_ASSIGN_OR_RETURN(crypto::SecretKey kept, new_root_key.Clone());

  // Step 2: the keyring as of this transaction (a writer adopts the
  // newest), re-wrapped with its check value in one transaction;
  // passphrase parameters no longer apply. The keys are unchanged, so
  // the keyring generation stays.
  TKS_RETURN_IF_ERROR(impl.WriteAlone([&](WriteContext& ctx) -> Status {
    TKS_ASSIGN_OR_RETURN(std::string wrapped,
                         impl.keys().keyring.Wrap(new_root_key));
    ctx.wrote = true;
    TKS_RETURN_IF_ERROR(lmdb::Put(ctx.txn, impl.dbs().meta,
                                  layout::kMetaKeyring, wrapped, 0, "meta"));
    TKS_RETURN_IF_ERROR(lmdb::Put(ctx.txn, impl.dbs().meta,
                                  layout::kMetaKeyCheck, check, 0, "meta"));
    bool found = false;
    return lmdb::Del(ctx.txn, impl.dbs().meta, layout::kMetaKdf, &found,
                     "meta");
  }));

  // Step 3: this handle can still load a changed keyring.
  impl.set_root_key(std::move(kept));
  impl.Log(LogLevel::kInfo, "rotated the root key of " + impl.path());
  return Status::Ok();
}

}  // namespace tks

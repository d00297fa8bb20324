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
  // Step 1: the keyring sealed under the new key, and its check value.
  Store::Impl& impl = store.impl();
  TKS_RETURN_IF_ERROR(impl.CheckFork());
  TKS_ASSIGN_OR_RETURN(std::string wrapped,
                       impl.keys().keyring.Wrap(new_root_key));
  const std::string check = crypto::KeyCheckValue(new_root_key);

  // Step 2: both in one transaction; passphrase parameters no longer
  // apply.
  TKS_RETURN_IF_ERROR(impl.Write([&](WriteContext& ctx) {
    ctx.wrote = true;
    TKS_RETURN_IF_ERROR(lmdb::Put(ctx.txn, impl.dbs().meta,
                                  layout::kMetaKeyring, wrapped, 0, "meta"));
    TKS_RETURN_IF_ERROR(lmdb::Put(ctx.txn, impl.dbs().meta,
                                  layout::kMetaKeyCheck, check, 0, "meta"));
    bool found = false;
    return lmdb::Del(ctx.txn, impl.dbs().meta, layout::kMetaKdf, &found,
                     "meta");
  }));
  impl.Log(LogLevel::kInfo, "rotated the root key of " + impl.path());
  return Status::Ok();
}

}  // namespace tks

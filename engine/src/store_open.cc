// Store::Open and the store's one-time set-up: directory, LMDB
// environment, databases, format check and keys.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "fork_guard.h"
#include "fs_check.h"
#include "keyring_sync.h"
#include "layout.h"
#include "lmdb_wrap.h"
#include "record_io.h"
#include "store_impl.h"
#include "tokenstore/crypto/root_key.h"

namespace tks {
namespace {

std::atomic<uint64_t> g_next_instance{1};

// Named databases an environment may hold: 13 are in use (layout.h); the
// rest is room for later formats (a per-environment setting, not on disk).
constexpr MDB_dbi kMaxDatabases = 24;

// Step helpers of Open, in the order Open calls them.

Status PrepareDirectory(Store::Impl& impl) {
  // An ephemeral store gets a fresh private directory.
  if (impl.options_.ephemeral) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
        "/tokenstore-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Internal("cannot create a temporary store directory: " +
                      std::string(std::strerror(errno)));
    }
    impl.path_ = pattern;
    impl.ephemeral_ = true;
    return Status::Ok();
  }

  // Otherwise the named directory, created 0700 when allowed.
  impl.path_ = impl.options_.path;
  if (impl.path_.empty()) return InvalidArgument("no store path given");
  struct stat info {};
  if (::stat(impl.path_.c_str(), &info) == 0) {
    if (!S_ISDIR(info.st_mode)) {
      return InvalidArgument("store path " + impl.path_ +
                             " is not a directory");
    }
    return Status::Ok();
  }
  if (!impl.options_.create_if_missing) {
    return NotFound("no store at " + impl.path_);
  }
  if (::mkdir(impl.path_.c_str(), 0700) != 0 && errno != EEXIST) {
    return Internal("cannot create store directory " + impl.path_ + ": " +
                    std::strerror(errno));
  }
  return Status::Ok();
}

unsigned EnvFlags(const Options& options, bool ephemeral) {
  unsigned flags = MDB_NOTLS;
  Durability durability = options.durability;
  if (ephemeral) durability = Durability::kNoSync;
  // kFull also commits without the meta flush: each group's writers
  // flush it (SyncCommitted) after the writer lock is released, so the
  // next group commits meanwhile. A save still returns only when durable.
  if (durability != Durability::kNoSync) flags |= MDB_NOMETASYNC;
  if (durability == Durability::kNoSync) flags |= MDB_NOSYNC;
  return flags;
}

Status OpenEnvironment(Store::Impl& impl) {
  // Step 1: create and size the environment.
  TKS_RETURN_IF_ERROR(
      lmdb::ToStatus(mdb_env_create(&impl.env_), "create environment"));
  TKS_RETURN_IF_ERROR(lmdb::ToStatus(
      mdb_env_set_maxdbs(impl.env_, kMaxDatabases), "set database count"));
  TKS_RETURN_IF_ERROR(lmdb::ToStatus(
      mdb_env_set_maxreaders(impl.env_, impl.options_.max_readers),
      "set reader count"));
  TKS_RETURN_IF_ERROR(lmdb::ToStatus(
      mdb_env_set_mapsize(impl.env_, impl.options_.initial_map_size),
      "set map size"));

  // Step 2: open data.mdb and lock.mdb as 0600 files.
  const int rc = mdb_env_open(impl.env_, impl.path_.c_str(),
                              EnvFlags(impl.options_, impl.ephemeral_), 0600);
  if (rc != MDB_SUCCESS) {
    Status status = lmdb::ToStatus(rc, "open store " + impl.path_);
    mdb_env_close(impl.env_);
    impl.env_ = nullptr;
    return status;
  }

  // Step 3: an existing store may already be larger than the asked map.
  TKS_RETURN_IF_ERROR(
      lmdb::ToStatus(mdb_env_set_mapsize(impl.env_, 0), "adopt map size"));

  // Step 4: free reader slots left by processes that died.
  int dead = 0;
  mdb_reader_check(impl.env_, &dead);
  if (dead > 0) {
    impl.Log(LogLevel::kWarning, "reclaimed " + std::to_string(dead) +
                                     " reader slots of dead processes");
  }
  return Status::Ok();
}

Status OpenDatabases(MDB_txn* txn, unsigned flags, Store::Impl& impl) {
  // Step 1: the databases without keyed entries.
  layout::Databases& dbs = impl.dbs_;
  const std::pair<const char*, MDB_dbi*> named[] = {
      {"meta", &dbs.meta},
      {"records", &dbs.records},
      {"idx_id", &dbs.idx_id},
      {"idx_expiry", &dbs.idx_expiry},
      {"leases", &dbs.leases}};
  for (const auto& [name, dbi] : named) {
    TKS_RETURN_IF_ERROR(lmdb::ToStatus(mdb_dbi_open(txn, name, flags, dbi),
                                       std::string("open database ") + name));
  }

  // Step 2: both sets of keyed indexes.
  for (crypto::IndexSet set : {crypto::IndexSet::kA, crypto::IndexSet::kB}) {
    layout::KeyedDatabases& keyed = impl.keyed_sets_[static_cast<size_t>(set)];
    const std::array<std::string, 4> names = layout::KeyedDatabaseNames(set);
    MDB_dbi* const handles[] = {&keyed.idx_user, &keyed.idx_refresh,
                                &keyed.idx_access, &keyed.idx_grant};
    for (size_t i = 0; i < names.size(); ++i) {
      TKS_RETURN_IF_ERROR(
          lmdb::ToStatus(mdb_dbi_open(txn, names[i].c_str(), flags, handles[i]),
                         "open database " + names[i]));
    }
  }
  return Status::Ok();
}

// True when the store lacks the databases of keyed index set B (a store
// made before index key changes were batched): the open then creates them.
Result<bool> LacksIndexSetB(MDB_txn* txn) {
  MDB_dbi probe = 0;
  const std::string last = layout::KeyedDatabaseNames(crypto::IndexSet::kB)[3];
  const int rc = mdb_dbi_open(txn, last.c_str(), 0, &probe);
  if (rc == MDB_NOTFOUND) return true;
  TKS_RETURN_IF_ERROR(lmdb::ToStatus(rc, "open database " + last));
  return false;
}

// The root key from the one source the options name.
// For a new store with a passphrase, *kdf receives the parameters to keep.
Result<crypto::SecretKey> LoadRootKey(const Store::Impl& impl, MDB_txn* txn,
                                      bool creating, std::string* kdf_out) {
  // Step 1: exactly one source.
  const RootKeySource& source = impl.options_.root_key;
  const int sources = !source.key_file.empty() + !source.key_env.empty() +
                      (source.key != nullptr) + (source.passphrase != nullptr);
  if (sources == 0 && impl.ephemeral_) return crypto::SecretKey::Random();
  if (sources != 1) {
    return InvalidArgument(
        "give exactly one root key source: key file, environment variable, "
        "key bytes or passphrase");
  }

  // Step 2: the simple sources.
  if (!source.key_file.empty()) return crypto::ReadKeyFile(source.key_file);
  if (source.key != nullptr) return source.key->Clone();
  if (!source.key_env.empty()) {
    const char* hex = std::getenv(source.key_env.c_str());
    if (hex == nullptr) {
      return InvalidArgument("environment variable " + source.key_env +
                             " is not set");
    }
    auto key = crypto::RootKeyFromHex(hex);
    if (!key.ok()) {
      return InvalidArgument("environment variable " + source.key_env + ": " +
                             key.status().message());
    }
    return key;
  }

  // Step 3: a passphrase, with the store's salt and costs.
  crypto::PassphraseParams params;
  std::string_view kdf;
  bool found = false;
  if (!creating) {
    TKS_RETURN_IF_ERROR(
        lmdb::Get(txn, impl.dbs_.meta, layout::kMetaKdf, &kdf, &found));
  }
  if (creating) {
    params = crypto::PassphraseParams::Generate();
    *kdf_out = params.salt;
    layout::PutU64(kdf_out, params.ops_limit);
    layout::PutU64(kdf_out, params.mem_limit);
  } else if (!found || kdf.size() != 32) {
    return Status(Code::kWrongKey,
                  "store " + impl.path_ + " was not created with a passphrase");
  } else {
    params.salt = std::string(kdf.substr(0, 16));
    params.ops_limit = layout::GetU64(kdf.data() + 16);
    params.mem_limit = layout::GetU64(kdf.data() + 24);
  }
  return crypto::RootKeyFromPassphrase(source.passphrase->view(), params);
}

// A new store: format, counters, keyring, key check, KDF parameters.
Status InitializeMeta(Store::Impl& impl, MDB_txn* txn,
                      const crypto::SecretKey& root, std::string_view kdf) {
  TKS_ASSIGN_OR_RETURN(crypto::Keyring keyring, crypto::Keyring::Generate());
  TKS_ASSIGN_OR_RETURN(std::string wrapped, keyring.Wrap(root));
  std::string format;
  layout::PutU32(&format, kFormatVersion);
  std::string counters;
  layout::PutU64(&counters, 1);
  layout::PutU64(&counters, 1);
  const std::pair<std::string_view, std::string> entries[] = {
      {layout::kMetaFormat, format},
      {layout::kMetaCounters, counters},
      {layout::kMetaKeyring, wrapped},
      {layout::kMetaKeyCheck, crypto::KeyCheckValue(root)}};
  for (const auto& [name, value] : entries) {
    TKS_RETURN_IF_ERROR(lmdb::Put(txn, impl.dbs_.meta, name, value, 0, "meta"));
  }
  if (!kdf.empty()) {
    TKS_RETURN_IF_ERROR(
        lmdb::Put(txn, impl.dbs_.meta, layout::kMetaKdf, kdf, 0, "meta"));
  }
  impl.Log(LogLevel::kInfo, "created store " + impl.path_);
  return Status::Ok();
}

Status CheckFormat(const Store::Impl& impl, MDB_txn* txn) {
  std::string_view format;
  bool found = false;
  TKS_RETURN_IF_ERROR(
      lmdb::Get(txn, impl.dbs_.meta, layout::kMetaFormat, &format, &found));
  if (!found || format.size() != 4) {
    return Corrupt("store " + impl.path_ + " has no format version");
  }
  const uint32_t version = layout::GetU32(format.data());
  if (version > kFormatVersion) {
    return {Code::kVersion, "store " + impl.path_ + " has format version " +
                                std::to_string(version) +
                                "; this build reads up to " +
                                std::to_string(kFormatVersion)};
  }
  if (version < 1) {
    return {Code::kVersion, "store " + impl.path_ +
                                " has an unknown format version " +
                                std::to_string(version)};
  }
  return Status::Ok();
}

// Checks the root key and unwraps the keyring.
Status LoadKeys(Store::Impl& impl, MDB_txn* txn,
                const crypto::SecretKey& root) {
  std::string_view check;
  std::string_view wrapped;
  bool has_check = false;
  bool has_ring = false;
  TKS_RETURN_IF_ERROR(lmdb::Get(txn, impl.dbs_.meta, layout::kMetaKeyCheck,
                                &check, &has_check));
  TKS_RETURN_IF_ERROR(lmdb::Get(txn, impl.dbs_.meta, layout::kMetaKeyring,
                                &wrapped, &has_ring));
  if (!has_check || !has_ring) {
    return Corrupt("store " + impl.path_ + " has no keyring");
  }
  if (!crypto::CheckRootKey(root, check)) {
    return {Code::kWrongKey, "the root key does not open store " + impl.path_};
  }
  TKS_ASSIGN_OR_RETURN(crypto::Keyring keyring,
                       crypto::Keyring::Unwrap(root, wrapped));
  TKS_ASSIGN_OR_RETURN(uint64_t generation,
                       ReadKeyringGeneration(txn, impl.dbs_.meta));
  return impl.AdoptKeys(std::move(keyring), generation, txn);
}

// Opens the databases and reads or creates the meta entries.
Status OpenOrCreate(Store::Impl& impl) {
  // Step 1: an existing store opens in a read transaction.
  lmdb::Txn txn;
  {
    MDB_txn* raw = nullptr;
    TKS_RETURN_IF_ERROR(lmdb::ToStatus(
        mdb_txn_begin(impl.env_, nullptr, MDB_RDONLY, &raw), "begin open"));
    txn = lmdb::Txn(raw);
  }
  MDB_dbi probe = 0;
  const int rc = mdb_dbi_open(txn.get(), "meta", 0, &probe);
  bool creating = false;
  bool lacks_set_b = false;
  if (rc != MDB_NOTFOUND) {
    TKS_RETURN_IF_ERROR(lmdb::ToStatus(rc, "open database meta"));
    TKS_ASSIGN_OR_RETURN(lacks_set_b, LacksIndexSetB(txn.get()));
  }
  if (rc == MDB_NOTFOUND || lacks_set_b) {
    // Step 2: a new store, or one without index set B: create what is
    // missing in one write transaction (committed only if the key fits).
    txn.Abort();
    MDB_txn* raw = nullptr;
    TKS_RETURN_IF_ERROR(lmdb::ToStatus(
        mdb_txn_begin(impl.env_, nullptr, 0, &raw), "begin create"));
    txn = lmdb::Txn(raw);
    creating = mdb_dbi_open(txn.get(), "meta", 0, &probe) == MDB_NOTFOUND;
    TKS_RETURN_IF_ERROR(OpenDatabases(txn.get(), MDB_CREATE, impl));
  } else {
    TKS_RETURN_IF_ERROR(OpenDatabases(txn.get(), 0, impl));
  }

  // Step 3: keys, and for a new store the meta entries.
  std::string kdf;
  TKS_ASSIGN_OR_RETURN(crypto::SecretKey root,
                       LoadRootKey(impl, txn.get(), creating, &kdf));
  if (creating) {
    TKS_RETURN_IF_ERROR(InitializeMeta(impl, txn.get(), root, kdf));
  }
  TKS_RETURN_IF_ERROR(CheckFormat(impl, txn.get()));
  TKS_RETURN_IF_ERROR(LoadKeys(impl, txn.get(), root));
  TKS_RETURN_IF_ERROR(txn.Commit());
  impl.set_root_key(std::move(root));

  // Step 4: a new or upgraded store is durable before Open returns (its
  // commit left the meta page unflushed, as every kFull commit does).
  if (lacks_set_b && !creating) {
    impl.Log(LogLevel::kInfo,
             "added the databases of index set B to store " + impl.path_);
  }
  return creating || lacks_set_b ? impl.SyncCommitted() : Status::Ok();
}

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

const std::string& Store::path() const { return impl_->path(); }

Result<std::unique_ptr<Store>> Store::Open(const Options& options) {
  // Step 1: libsodium, options, directory and filesystem.
  TKS_RETURN_IF_ERROR(crypto::InitSodium());
  auto impl = std::make_unique<Impl>();
  impl->options_ = options;
  impl->fork_generation_ = ForkGeneration();
  if (options.initial_map_size < (size_t{1} << 20)) {
    impl->options_.initial_map_size = size_t{1} << 20;
  }
  if (options.max_group_size == 0) impl->options_.max_group_size = 1;
  TKS_RETURN_IF_ERROR(PrepareDirectory(*impl));
  TKS_RETURN_IF_ERROR(CheckLocalFilesystem(impl->path_));

  // Step 2: the environment, then databases, format and keys.
  TKS_RETURN_IF_ERROR(OpenEnvironment(*impl));
  Status opened = OpenOrCreate(*impl);
  if (!opened.ok()) return opened;

  // Step 3: ready for reads from any thread.
  impl->instance_id_ = g_next_instance.fetch_add(1);
  RegisterLiveStore(impl->instance_id_);
  impl->Log(LogLevel::kInfo, "opened store " + impl->path_);
  return std::make_unique<Store>(std::move(impl));
}

}  // namespace tks

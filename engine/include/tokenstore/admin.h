// Operator calls on an open store (DESIGN §10): verify, backup, root key
// rotation. They are what `tks verify`, `tks backup` and `tks rotate-key
// --root` run; applications do not need them.
//
// Thread safety: like Store, every call may run while other threads and
// processes use the store. Messages and reports name record ids, index
// names and sequences, never a value.
#ifndef TOKENSTORE_ADMIN_H_
#define TOKENSTORE_ADMIN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tokenstore/crypto/secret.h"
#include "tokenstore/status.h"
#include "tokenstore/store.h"

namespace tks {

// What VerifyStore found.
struct VerifyReport {
  uint64_t records_checked = 0;          // Records read (opened or not).
  uint64_t entries_checked = 0;          // Index entries read.
  std::vector<std::string> corrupt_ids;  // Records that did not open.
  // One sentence per problem, at most kMaxProblems; problem_count counts
  // them all.
  std::vector<std::string> problems;
  uint64_t problem_count = 0;
  static constexpr size_t kMaxProblems = 1000;

  bool clean() const { return problem_count == 0; }
};

// Called now and then with the number of records and entries checked.
using VerifyProgress = std::function<void(uint64_t done)>;

// Checks the whole store in one consistent snapshot: every record opens
// and has each index entry its fields call for (id, user name, refresh,
// access and grant token, expiry), and every index entry points to a
// record whose field hashes to it. Problems go into the report; the
// Status is an error only when the check itself could not run.
Result<VerifyReport> VerifyStore(const Store& store,
                                 const VerifyProgress& progress = {});

// Writes a consistent, compacted copy of the store into `dest_dir`, which
// must not exist or be empty; it is created 0700 and the copy 0600. Other
// threads and processes may keep using the store. The copy opens with the
// same root key. INVALID_ARGUMENT if `dest_dir` holds something; INTERNAL
// on I/O errors (a partial copy is removed).
Status BackupStore(const Store& store, const std::string& dest_dir);

// Re-wraps the keyring under `new_root_key` in one transaction, so only
// the new key opens the store from then on (a passphrase store becomes a
// key store). Records and indexes are untouched. Other handles keep
// working until they reopen, which then needs the new key.
Status RotateRootKey(Store& store, const crypto::SecretKey& new_root_key);

// Key rotation needs the store to itself: both calls return CONFLICT when
// the reader table shows another live process, and REQUIRE that no other
// thread uses `store` meanwhile (this handle switches to the new keys).
// `root_key` must open the store (WRONG_KEY otherwise).
//
// RotateDataKey: adds a new data key and re-seals every record under it
// in transactions of `batch_size` records, then forgets the old keys.
// Readers of this handle keep working throughout. Killed midway, the next
// call picks up the same new key and goes on. Returns the records
// re-sealed. CONFLICT also when a record under an old key appeared during
// the rotation (run it again).
//
// RotateIndexKey: replaces the index key and rebuilds the user name and
// token indexes in one transaction (the id and expiry indexes are not
// keyed). Other processes must reopen the store afterwards.
//
// TODO(#4): rotation while other processes keep the store open needs
// them to reload the keyring; not built yet.
Result<uint64_t> RotateDataKey(Store& store, const crypto::SecretKey& root_key,
                               size_t batch_size,
                               const VerifyProgress& progress = {});
Status RotateIndexKey(Store& store, const crypto::SecretKey& root_key);

}  // namespace tks

#endif  // TOKENSTORE_ADMIN_H_

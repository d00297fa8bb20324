// Operator calls on an open store (DESIGN §10): verify, backup, key
// rotation. They are what `tks verify`, `tks backup` and `tks rotate-key`
// run; applications do not need them.
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
// key store). Records and indexes are untouched. This handle keeps the
// new key; other handles keep working with the keys they hold until they
// reopen (which then needs the new key), but if the data or index key is
// rotated afterwards they cannot load the new keyring and fail with
// WRONG_KEY: reopen them with the new root key first.
Status RotateRootKey(Store& store, const crypto::SecretKey& new_root_key);

// Data and index key rotation while the store stays in use: other threads
// of this handle, other Store objects and other processes keep finding,
// saving and deleting throughout and afterwards, without reopening. Each
// keyring change commits a new keyring generation; a handle adopts it at
// its next write transaction, or when it meets a record sealed under a
// key it does not know, or when a find misses (a stale index key can
// only miss, since every hit is confirmed by decrypting). Both calls use
// this handle's own root key (so they work on a passphrase store too);
// WRONG_KEY if another handle rotated the root key since this one opened.
// Other errors: those of a write (IO_FATAL, MAP_FULL, USED_AFTER_FORK).
//
// RotateDataKey: adds a new data key, which every writer uses from then
// on, and re-seals every older record under it in transactions of
// `batch_size` records; then forgets the old keys. Killed midway, the
// next call picks up the same new key and goes on. A record that does
// not open is skipped with a warning naming it in the log (it opened
// under no key before either; VerifyStore reports it). Returns the
// records re-sealed. INVALID_ARGUMENT for a batch size of 0. CONFLICT if a
// record under an old key remains at the end (only a writer that does not know
// keyring generations, i.e. an older build, can cause it): run it again.
//
// RotateIndexKey: adds a pending index key. From the next transaction on
// every writer keeps the user name and token indexes under both keys (the
// pending key's go into the second set of keyed index databases, the one
// not in use), while finds keep using the current key. The records are
// indexed under the pending key in transactions of `batch_size` records;
// then one short transaction makes the pending key the index key and
// empties the old set (its pages are freed without being read). Killed
// midway, the store works normally with the key pending (`VerifyStore`
// checks both sets) and the next call picks up the same pending key,
// building its set again from the start. A record that does not open is
// skipped, with a warning naming it in the log (VerifyStore reports it as
// corrupt): it gets no entry under the new key, so a damaged record
// cannot keep the change pending. Returns the records indexed.
// INVALID_ARGUMENT for a batch size of 0. CONFLICT if another call
// started the rotation again meanwhile (that call finishes it). The id
// and expiry indexes are not keyed and stay as they are.
Result<uint64_t> RotateDataKey(Store& store, size_t batch_size,
                               const VerifyProgress& progress = {});
Result<uint64_t> RotateIndexKey(Store& store, size_t batch_size,
                                const VerifyProgress& progress = {});

// The same after checking that `root_key` opens the store (WRONG_KEY
// otherwise).
Result<uint64_t> RotateDataKey(Store& store, const crypto::SecretKey& root_key,
                               size_t batch_size,
                               const VerifyProgress& progress = {});
Result<uint64_t> RotateIndexKey(Store& store, const crypto::SecretKey& root_key,
                                size_t batch_size,
                                const VerifyProgress& progress = {});

}  // namespace tks

#endif  // TOKENSTORE_ADMIN_H_

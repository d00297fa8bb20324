// Test hooks that damage a store on purpose, so tests can show that
// VerifyStore and the readers detect damage. Never use them on a store
// you care about.
#ifndef TOKENSTORE_ADMIN_TESTING_H_
#define TOKENSTORE_ADMIN_TESTING_H_

#include <string_view>

#include "tokenstore/status.h"
#include "tokenstore/store.h"
#include "tokenstore/token.h"

namespace tks::testing_hooks {

enum class Damage {
  // Flips one byte of the sealed value of the record.
  kFlipRecordByte,
  // Deletes the record's entry in the index of `field`.
  kDeleteIndexEntry,
  // Adds an entry to the index of `field` that points to the record but
  // is the hash of a value the record does not hold.
  kAddOrphanIndexEntry,
  // The same in the keyed index set not in use (the one an index key
  // rotation builds), made with the pending index key when one is pending
  // and with the current one otherwise. `field` must be a keyed index:
  // user name, refresh, access or grant token.
  kAddOrphanToIdleIndexSet,
};

// Damages the record with `id`. `field` (id, user name, refresh, access,
// grant token or expiry time) names the index for the index kinds.
// NOT_FOUND if no record has that id; INVALID_ARGUMENT for a field
// without an index.
Status DamageStore(Store& store, Damage damage, std::string_view id,
                   Field field = Field::kId);

}  // namespace tks::testing_hooks

#endif  // TOKENSTORE_ADMIN_TESTING_H_

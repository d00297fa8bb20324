// Reading and writing one record with its index entries, inside a
// transaction. Every find is one index probe plus one record read; every
// hit is confirmed against the decrypted field in constant time.
#ifndef TOKENSTORE_ENGINE_RECORD_IO_H_
#define TOKENSTORE_ENGINE_RECORD_IO_H_

#include <lmdb.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "store_impl.h"
#include "tokenstore/token.h"

namespace tks::records {

// A record found in the store: its sequence and its stored fields.
struct Located {
  uint64_t seq = 0;
  Token stored;
};

// Store-wide counters kept in meta, changed only inside write txns.
struct Counters {
  uint64_t next_id = 1;
  uint64_t next_seq = 1;
};
// Moves next_id past `id` when `id` is a decimal number at or above it,
// so an imported numeric id is never assigned again.
void MoveIdCounterPast(std::string_view id, Counters* counters);
Status ReadCounters(MDB_txn* txn, const Store::Impl& impl, Counters* out);
Status WriteCounters(WriteContext& ctx, const Store::Impl& impl,
                     const Counters& counters);

// Opens the stored `value` of record `seq`. A value sealed under a data
// key this handle does not know yet (another handle rotated the data key)
// is opened with the keyring of `txn`'s snapshot. CORRUPT if it does not
// open.
Status OpenStored(MDB_txn* txn, const Store::Impl& impl, uint64_t seq,
                  std::string_view value, Token* out);

// Opens record `seq`. CORRUPT if missing (an index pointed to it) or if it
// does not open.
Status ReadRecord(MDB_txn* txn, const Store::Impl& impl, uint64_t seq,
                  Token* out);

// The record with `id`, if any.
Status FindById(MDB_txn* txn, const Store::Impl& impl, std::string_view id,
                std::optional<Located>* out);

// The record matching `query` by the rules of DESIGN §3.1, if any, probed
// with `keys` (Impl::KeysFor(txn) in a read, Impl::keys() in a write).
Status FindByRule(MDB_txn* txn, const Store::Impl& impl, const KeyState& keys,
                  const Token& query, std::optional<Located>* out);

// CONFLICT when a refresh, access or grant token of `record` is indexed
// for a record other than `seq`. REQUIRES: a write transaction.
Status CheckUniqueTokens(MDB_txn* txn, const Store::Impl& impl,
                         const Token& record, uint64_t seq);

// Writes record `seq` and moves its index entries from `old` (nullptr for
// an insert) to `record`, in both keyed index sets while an index key
// change is pending. REQUIRES: CheckUniqueTokens passed.
Status WriteRecord(WriteContext& ctx, const Store::Impl& impl, uint64_t seq,
                   const Token* old, const Token& record);

// Removes record `seq`, its index entries and its lease.
Status EraseRecord(WriteContext& ctx, const Store::Impl& impl, uint64_t seq,
                   const Token& stored);

}  // namespace tks::records

#endif  // TOKENSTORE_ENGINE_RECORD_IO_H_

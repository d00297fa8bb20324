// Store: an open token store. The TokenStore calls of the Zoho SDKs
// (DESIGN §3) with their matching and upsert rules, plus batch, purge,
// lease and statistics calls.
//
// Thread safety: every method may be called from many threads at once.
// Reads run in parallel and never wait for writers; concurrent writes are
// grouped into shared commits. Several processes may open one store. A
// Store must not be used in a child after fork(): calls there return
// USED_AFTER_FORK.
//
// Errors: every call may also return USED_AFTER_FORK, READERS_FULL or
// INTERNAL; write calls may return IO_FATAL (the handle then refuses
// writes until reopened) or MAP_FULL (the map reached max_map_size).
#ifndef TOKENSTORE_STORE_H_
#define TOKENSTORE_STORE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tokenstore/options.h"
#include "tokenstore/status.h"
#include "tokenstore/token.h"

namespace tks {

// The on-disk format this build writes and reads.
inline constexpr uint32_t kFormatVersion = 1;

struct Stats {
  uint64_t record_count = 0;
  uint64_t user_index_entries = 0;
  uint64_t refresh_index_entries = 0;
  uint64_t access_index_entries = 0;
  uint64_t grant_index_entries = 0;
  uint64_t expiry_index_entries = 0;
  uint64_t id_index_entries = 0;
  uint64_t lease_count = 0;
  uint64_t file_size_bytes = 0;
  uint64_t map_size_bytes = 0;
  uint64_t map_used_bytes = 0;
  uint64_t page_size = 0;
  uint64_t next_id = 0;
  uint32_t format_version = 0;
  uint32_t active_data_key_id = 0;
  // More than 1 while a data key rotation is unfinished.
  uint32_t data_key_count = 0;
  // True while an index key rotation is unfinished (RotateIndexKey).
  bool index_key_change_pending = false;
};

class TokenCursor;

class Store {
 public:
  // Opens (or creates) a store. Errors: INVALID_ARGUMENT (bad options, no
  // or several key sources, bad key file), NOT_FOUND (no store and
  // !create_if_missing), WRONG_KEY, VERSION, CORRUPT (damaged keyring),
  // UNSUPPORTED_FS (network filesystem), INTERNAL (I/O, permissions).
  static Result<std::unique_ptr<Store>> Open(const Options& options);

  // Closes the store; an ephemeral store's directory is deleted.
  // REQUIRES: no other thread is inside a call and no cursor is open.
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // --- TokenStore calls (DESIGN §3) ---

  // Finds the record matching `query` by the first applicable rule of
  // DESIGN §3.1 and returns the query merged with it (the query's non-null
  // fields win), with id and generation. nullopt when nothing matches.
  Result<std::optional<Token>> FindToken(const Token& query) const;

  // The record with `id`. NOT_FOUND if absent; CORRUPT naming the id if
  // its value does not open.
  Result<Token> FindTokenById(std::string_view id) const;

  // Upsert (DESIGN §3.2). On success the token's id, generation and
  // updated time are written back. NOT_FOUND for an id no record has;
  // INVALID_ARGUMENT for limits or an insert with no token; CONFLICT when
  // a refresh, access or grant token belongs to another record.
  Status SaveToken(Token& token);

  // SaveToken, but only if the target's stored generation equals
  // `expected_generation` (0: only if the save would insert). CONFLICT
  // otherwise, with nothing changed.
  Status SaveTokenIf(Token& token, uint64_t expected_generation);

  // Many upserts in one transaction: all are applied or none. The first
  // failure is returned with the batch position in its message.
  Status SaveTokens(std::span<Token> batch);

  // Inserts records keeping their ids (importers), all or none. A token
  // without an id gets a fresh one. CONFLICT if an id or token value is
  // already in the store or twice in the batch.
  Status InsertTokensWithIds(std::span<Token> batch);

  // Removes the record and its index entries. NOT_FOUND if absent.
  Status DeleteToken(std::string_view id);

  // Removes every record, in one transaction.
  Status DeleteTokens();

  // Every record in insertion order. For large stores prefer NewCursor.
  Result<std::vector<Token>> GetTokens() const;

  // A cursor over every record in insertion order that holds no snapshot
  // between calls: records saved while it runs may or may not be seen.
  // REQUIRES: the cursor does not outlive the store.
  std::unique_ptr<TokenCursor> NewCursor() const;

  // --- Beyond the SDK interface (DESIGN §3.4) ---

  // Deletes every record of `user_name`; returns how many.
  Result<size_t> DeleteUserTokens(std::string_view user_name);

  // Deletes up to `limit` records whose expiry time parses and is before
  // `before_ms`, oldest first, in one transaction; returns how many.
  // Call again until it returns fewer than `limit`.
  Result<size_t> PurgeExpired(uint64_t before_ms, size_t limit);

  // Single-flight refresh: the lease on record `id` is granted to `holder`
  // for `ttl` if free, expired, or already held by `holder` (renewal).
  // LEASE_HELD if another holder has it; NOT_FOUND if no such record.
  Status AcquireRefreshLease(std::string_view id, std::string_view holder,
                             std::chrono::milliseconds ttl);
  // Releases the lease if `holder` has it. NOT_FOUND if it holds none.
  Status ReleaseRefreshLease(std::string_view id, std::string_view holder);

  Result<Stats> GetStats() const;

  // The store directory (the temporary one for an ephemeral store).
  const std::string& path() const;

  class Impl;  // Internal; defined in engine/src.
  Impl& impl() const { return *impl_; }
  // Internal: use Open. Impl is not constructible outside the engine.
  explicit Store(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

// Streams records in insertion order, a chunk at a time.
class TokenCursor {
 public:
  virtual ~TokenCursor() = default;
  // The next record; nullopt at the end. CORRUPT names a record whose
  // value does not open; calling Next again moves past it.
  virtual Result<std::optional<Token>> Next() = 0;
};

}  // namespace tks

#endif  // TOKENSTORE_STORE_H_

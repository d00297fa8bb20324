// The read calls: FindToken and FindTokenById.
#include "record_io.h"
#include "store_impl.h"
#include "tokenstore/crypto/blind_index.h"

namespace tks {

namespace {

// A find that missed is tried again this often when the keyring changed
// meanwhile (each try reads a newer snapshot).
constexpr int kFindTries = 3;

}  // namespace

Result<std::optional<Token>> Store::FindToken(const Token& query) const {
  // Step 1: locate the record by the first rule the query allows. A miss
  // may come from an index key another handle replaced: then the keys of
  // a newer snapshot get another try (a hit is always confirmed by
  // decrypting, so stale keys can only miss).
  std::optional<records::Located> found;
  bool keys_changed = true;
  for (int attempt = 0; attempt < kFindTries && keys_changed; ++attempt) {
    keys_changed = false;
    TKS_RETURN_IF_ERROR(impl_->Read([&](MDB_txn* txn) -> Status {
      TKS_ASSIGN_OR_RETURN(const KeyState* keys, impl_->KeysFor(txn));
      TKS_RETURN_IF_ERROR(
          records::FindByRule(txn, *impl_, *keys, query, &found));
      if (found) return Status::Ok();
      TKS_ASSIGN_OR_RETURN(keys_changed,
                           impl_->KeysChangedSince(txn, keys->generation));
      return Status::Ok();
    }));
  }
  if (!found) return std::optional<Token>();

  // Step 2: merge: the stored record with the query's values on top (a
  // value equal to the stored one, like the token the record was found
  // by, needs no copy; compared in constant time).
  Token merged = std::move(found->stored);
  for (Field field : kAllFields) {
    if (!query.has(field)) continue;
    if (merged.has(field) &&
        crypto::ConstantTimeEquals(merged.view(field), query.view(field))) {
      continue;
    }
    merged.set(field, query.view(field));
  }
  return std::optional<Token>(std::move(merged));
}

Result<Token> Store::FindTokenById(std::string_view id) const {
  std::optional<records::Located> found;
  TKS_RETURN_IF_ERROR(impl_->Read([&](MDB_txn* txn) {
    return records::FindById(txn, *impl_, id, &found);
  }));
  if (!found) return NotFound("no record with id '" + std::string(id) + "'");
  return std::move(found->stored);
}

}  // namespace tks

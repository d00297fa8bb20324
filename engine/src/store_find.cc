// The read calls: FindToken and FindTokenById.
#include "record_io.h"
#include "store_impl.h"

namespace tks {

Result<std::optional<Token>> Store::FindToken(const Token& query) const {
  // Step 1: locate the record by the first rule the query allows.
  std::optional<records::Located> found;
  TKS_RETURN_IF_ERROR(impl_->Read([&](MDB_txn* txn) {
    return records::FindByRule(txn, *impl_, query, &found);
  }));
  if (!found) return std::optional<Token>();

  // Step 2: merge: the stored record with the query's values on top.
  Token merged = std::move(found->stored);
  for (Field field : kAllFields) {
    if (query.has(field)) merged.set(field, query.view(field));
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

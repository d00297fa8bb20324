// Bulk insert for importers: many new records in one write step, with
// each index's entries sorted before they are put, so an import touches
// every index page about once instead of once per record (and appends when
// the store is empty).
#ifndef TOKENSTORE_ENGINE_BULK_INSERT_H_
#define TOKENSTORE_ENGINE_BULK_INSERT_H_

#include <span>
#include <vector>

#include "save.h"
#include "store_impl.h"
#include "tokenstore/token.h"

namespace tks::bulk {

// Inserts every token of `batch` as a new record, keeping given ids and
// assigning fresh ones to tokens without. All or nothing: CONFLICT (naming
// the batch item) if an id or token value is already in the store or twice
// in the batch; INVALID_ARGUMENT for an item without any token.
// REQUIRES: ValidateToken passed for every item; outcomes->size() equals
// batch.size().
Status InsertAll(WriteContext& ctx, const Store::Impl& impl,
                 std::span<const Token> batch,
                 std::vector<save::Outcome>* outcomes);

}  // namespace tks::bulk

#endif  // TOKENSTORE_ENGINE_BULK_INSERT_H_

// The save calls: SaveToken, SaveTokenIf, SaveTokens, InsertTokensWithIds.
#include <vector>

#include "bulk_insert.h"
#include "save.h"
#include "store_impl.h"

namespace tks {
namespace {

// Batches of at least this many items reserve map room before they start.
constexpr size_t kReserveFromItems = 1024;
constexpr size_t kMapBytesPerRecord = 2048;

// Saves a batch in one write step; all or nothing.
Status SaveBatch(Store::Impl& impl, std::span<Token> batch, save::Mode mode) {
  // Step 1: check every token before taking the writer's turn.
  for (size_t i = 0; i < batch.size(); ++i) {
    Status valid = ValidateToken(batch[i]);
    if (!valid.ok()) {
      return {valid.code(),
              "batch item " + std::to_string(i) + ": " + valid.message()};
    }
  }

  // Step 2: room in the map for the whole batch up front (a record with
  // its index entries takes well under kMapBytesPerRecord).
  if (batch.size() >= kReserveFromItems) {
    TKS_RETURN_IF_ERROR(impl.ReserveMap(batch.size() * kMapBytesPerRecord));
  }

  // Step 3: apply all in one step; a failure after the first write
  // aborts the shared transaction, so the batch lands whole or not at all.
  std::vector<save::Outcome> outcomes(batch.size());
  TKS_RETURN_IF_ERROR(impl.Write([&](WriteContext& ctx) {
    if (mode == save::Mode::kInsertWithId) {
      return bulk::InsertAll(ctx, impl, batch, &outcomes);
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      Status saved =
          save::Apply(ctx, impl, batch[i], mode, std::nullopt, &outcomes[i]);
      if (!saved.ok()) {
        ctx.wrote = ctx.wrote || i > 0;
        return Status(saved.code(), "batch item " + std::to_string(i) + ": " +
                                        saved.message());
      }
    }
    return Status::Ok();
  }));

  // Step 4: hand ids and generations back.
  for (size_t i = 0; i < batch.size(); ++i) outcomes[i].WriteBack(batch[i]);
  return Status::Ok();
}

}  // namespace

Status Store::SaveToken(Token& token) {
  TKS_RETURN_IF_ERROR(ValidateToken(token));
  save::Outcome outcome;
  TKS_RETURN_IF_ERROR(impl_->Write([&](WriteContext& ctx) {
    return save::Apply(ctx, *impl_, token, save::Mode::kUpsert, std::nullopt,
                       &outcome);
  }));
  outcome.WriteBack(token);
  return Status::Ok();
}

Status Store::SaveTokenIf(Token& token, uint64_t expected_generation) {
  TKS_RETURN_IF_ERROR(ValidateToken(token));
  save::Outcome outcome;
  TKS_RETURN_IF_ERROR(impl_->Write([&](WriteContext& ctx) {
    return save::Apply(ctx, *impl_, token, save::Mode::kUpsert,
                       expected_generation, &outcome);
  }));
  outcome.WriteBack(token);
  return Status::Ok();
}

Status Store::SaveTokens(std::span<Token> batch) {
  return SaveBatch(*impl_, batch, save::Mode::kUpsert);
}

Status Store::InsertTokensWithIds(std::span<Token> batch) {
  return SaveBatch(*impl_, batch, save::Mode::kInsertWithId);
}

}  // namespace tks

#include "save.h"

#include "record_io.h"

namespace tks::save {
namespace {

std::string Quoted(std::string_view id) { return "'" + std::string(id) + "'"; }

// Replaces the stored record with the token merged over it.
Status Update(WriteContext& ctx, const Store::Impl& impl, const Token& token,
              const records::Located& target, std::optional<uint64_t> expected,
              Outcome* out) {
  // Step 1: the generation check of save_token_if.
  const Token& stored = target.stored;
  if (expected && *expected != stored.generation()) {
    return Conflict("record id " + Quoted(stored.id()) + " has generation " +
                    std::to_string(stored.generation()) + ", expected " +
                    std::to_string(*expected));
  }

  // Step 2: merge (the token's non-null fields win) and check.
  Token merged = token;
  merged.MergeFrom(stored);
  merged.set(Field::kId, stored.id());
  merged.set_generation(stored.generation() + 1);
  merged.set_updated_at_ms(NowMs());
  TKS_RETURN_IF_ERROR(ValidateToken(merged));
  TKS_RETURN_IF_ERROR(
      records::CheckUniqueTokens(ctx.txn, impl, merged, target.seq));

  // Step 3: write record and moved index entries.
  TKS_RETURN_IF_ERROR(
      records::WriteRecord(ctx, impl, target.seq, &stored, merged));
  *out = {std::string(merged.id()), merged.generation(),
          merged.updated_at_ms()};
  return Status::Ok();
}

// Inserts the token as a new record with a given or fresh id.
Status Insert(WriteContext& ctx, const Store::Impl& impl, const Token& token,
              std::optional<uint64_t> expected, Outcome* out) {
  // Step 1: an insert must be expected and must carry a token.
  if (expected && *expected != 0) {
    return Conflict("no record matches; expected generation " +
                    std::to_string(*expected));
  }
  if (!HasAnyToken(token)) {
    return InvalidArgument(
        "no token to store: an insert needs a refresh, access or grant "
        "token");
  }

  // Step 2: id and sequence from the counters of this transaction.
  records::Counters counters;
  TKS_RETURN_IF_ERROR(records::ReadCounters(ctx.txn, impl, &counters));
  Token record = token;
  if (record.has_id()) {
    records::MoveIdCounterPast(record.id(), &counters);
  } else {
    for (;;) {
      const std::string id = std::to_string(counters.next_id++);
      std::optional<records::Located> taken;
      TKS_RETURN_IF_ERROR(records::FindById(ctx.txn, impl, id, &taken));
      if (!taken) {
        record.set(Field::kId, id);
        break;
      }
    }
  }
  const uint64_t seq = counters.next_seq++;
  record.set_generation(1);
  record.set_updated_at_ms(NowMs());

  // Step 3: uniqueness before the first write, then write.
  TKS_RETURN_IF_ERROR(records::CheckUniqueTokens(ctx.txn, impl, record, seq));
  TKS_RETURN_IF_ERROR(records::WriteCounters(ctx, impl, counters));
  TKS_RETURN_IF_ERROR(records::WriteRecord(ctx, impl, seq, nullptr, record));
  *out = {std::string(record.id()), 1, record.updated_at_ms()};
  return Status::Ok();
}

}  // namespace

bool HasAnyToken(const Token& token) {
  return !token.view(Field::kRefreshToken).empty() ||
         !token.view(Field::kAccessToken).empty() ||
         !token.view(Field::kGrantToken).empty();
}

Status Apply(WriteContext& ctx, const Store::Impl& impl, const Token& token,
             Mode mode, std::optional<uint64_t> expected, Outcome* out) {
  // Step 1: the target: by id, by the find rules, or none.
  std::optional<records::Located> target;
  if (token.has_id()) {
    TKS_RETURN_IF_ERROR(records::FindById(ctx.txn, impl, token.id(), &target));
    if (mode == Mode::kInsertWithId && target) {
      return Conflict("record id " + Quoted(token.id()) + " already exists");
    }
    if (mode == Mode::kUpsert && !target) {
      return NotFound("no record with id " + Quoted(token.id()) +
                      " (deleted records are not brought back by a save)");
    }
  } else if (mode == Mode::kUpsert) {
    TKS_RETURN_IF_ERROR(
        records::FindByRule(ctx.txn, impl, impl.keys(), token, &target));
  }

  // Step 2: replace the target or insert.
  if (target) return Update(ctx, impl, token, *target, expected, out);
  return Insert(ctx, impl, token, expected, out);
}

}  // namespace tks::save

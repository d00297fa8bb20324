// The upsert of DESIGN §3.2 as one write step, shared by every save call.
#ifndef TOKENSTORE_ENGINE_SAVE_H_
#define TOKENSTORE_ENGINE_SAVE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "store_impl.h"
#include "tokenstore/token.h"

namespace tks::save {

enum class Mode {
  kUpsert,        // DESIGN §3.2: by id, else by find rules, else insert.
  kInsertWithId,  // Importers: always insert, keeping a given id.
};

// What a successful save hands back to the caller's token.
struct Outcome {
  std::string id;
  uint64_t generation = 0;
  uint64_t updated_at_ms = 0;

  void WriteBack(Token& token) const {
    token.set(Field::kId, id);
    token.set_generation(generation);
    token.set_updated_at_ms(updated_at_ms);
  }
};

// True when the token holds a non-empty refresh, access or grant token,
// which every insert needs.
bool HasAnyToken(const Token& token);

// Applies one save inside `ctx`. `expected` is the generation the target
// must have (0: there must be no target), or nullopt for no check.
// REQUIRES: ValidateToken(token) passed.
Status Apply(WriteContext& ctx, const Store::Impl& impl, const Token& token,
             Mode mode, std::optional<uint64_t> expected, Outcome* out);

}  // namespace tks::save

#endif  // TOKENSTORE_ENGINE_SAVE_H_

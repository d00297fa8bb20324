// Iterating over every record through the engine's chunked cursor.
#include "handles.h"

extern "C" {

int tks_iter_create(tks_store* store, tks_iter** out, tks_error** err) {
  try {
    // Step 1: check the arguments.
    if (out == nullptr) return tks::api::NullArgument(err, "out");
    *out = nullptr;
    if (store == nullptr) return tks::api::NullArgument(err, "store");

    // Step 2: a cursor that shares ownership of the store.
    auto iter = std::make_unique<tks_iter>();
    iter->store = store->store;
    iter->cursor = iter->store->NewCursor();
    *out = iter.release();
    return tks::api::Succeed(err);
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

int tks_iter_next(tks_iter* iter, tks_token** out, tks_error** err) {
  try {
    // Step 1: check the arguments.
    if (out == nullptr) return tks::api::NullArgument(err, "out");
    *out = nullptr;
    if (iter == nullptr) return tks::api::NullArgument(err, "iter");

    // Step 2: the next record, or nothing at the end.
    auto next = iter->cursor->Next();
    if (!next.ok()) return tks::api::Fail(err, next.status());
    if (!next->has_value()) return tks::api::Succeed(err);
    auto token = std::make_unique<tks_token>();
    token->token = std::move(**next);
    *out = token.release();
    return tks::api::Succeed(err);
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

void tks_iter_free(tks_iter* iter) {
  try {
    delete iter;
  } catch (...) {
    // Destructors do not throw; nothing to report from a void call.
  }
}

}  // extern "C"

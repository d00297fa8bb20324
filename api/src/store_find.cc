// The finding and saving calls: find, find_by_id, save and save_if.
#include "handles.h"

extern "C" {

int tks_store_find(tks_store* store, tks_token* query, int* found,
                   tks_error** err) {
  try {
    // Step 1: check the arguments.
    if (store == nullptr) return tks::api::NullArgument(err, "store");
    if (query == nullptr) return tks::api::NullArgument(err, "query");
    if (found == nullptr) return tks::api::NullArgument(err, "found");
    *found = 0;

    // Step 2: find; a hit already holds the query merged with the record.
    auto result = store->store->FindToken(query->token);
    if (!result.ok()) return tks::api::Fail(err, result.status());
    if (result->has_value()) {
      query->token = std::move(**result);
      *found = 1;
    }
    return tks::api::Succeed(err);
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

int tks_store_find_by_id(tks_store* store, const char* id, tks_token** out,
                         tks_error** err) {
  try {
    // Step 1: check the arguments.
    if (out == nullptr) return tks::api::NullArgument(err, "out");
    *out = nullptr;
    if (store == nullptr) return tks::api::NullArgument(err, "store");
    if (id == nullptr) return tks::api::NullArgument(err, "id");

    // Step 2: read the record into a new token.
    auto result = store->store->FindTokenById(id);
    if (!result.ok()) return tks::api::Fail(err, result.status());
    auto token = std::make_unique<tks_token>();
    token->token = std::move(result).value();
    *out = token.release();
    return tks::api::Succeed(err);
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

int tks_store_save(tks_store* store, tks_token* token, tks_error** err) {
  try {
    if (store == nullptr) return tks::api::NullArgument(err, "store");
    if (token == nullptr) return tks::api::NullArgument(err, "token");
    return tks::api::Report(err, store->store->SaveToken(token->token));
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

int tks_store_save_if(tks_store* store, tks_token* token,
                      uint64_t expected_generation, tks_error** err) {
  try {
    if (store == nullptr) return tks::api::NullArgument(err, "store");
    if (token == nullptr) return tks::api::NullArgument(err, "token");
    return tks::api::Report(
        err, store->store->SaveTokenIf(token->token, expected_generation));
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

}  // extern "C"

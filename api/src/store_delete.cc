// The deleting calls: delete, delete_all, delete_user, purge_expired.
#include <string_view>

#include "handles.h"

extern "C" {

int tks_store_delete(tks_store* store, const char* id, tks_error** err) {
  try {
    if (store == nullptr) return tks::api::NullArgument(err, "store");
    if (id == nullptr) return tks::api::NullArgument(err, "id");
    return tks::api::Report(err, store->store->DeleteToken(id));
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

int tks_store_delete_all(tks_store* store, tks_error** err) {
  try {
    if (store == nullptr) return tks::api::NullArgument(err, "store");
    return tks::api::Report(err, store->store->DeleteTokens());
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

int tks_store_delete_user(tks_store* store, const void* user_name,
                          size_t length, uint64_t* deleted, tks_error** err) {
  try {
    // Step 1: check the arguments.
    if (deleted != nullptr) *deleted = 0;
    if (store == nullptr) return tks::api::NullArgument(err, "store");
    if (user_name == nullptr && length > 0) {
      return tks::api::NullArgument(err, "user_name");
    }
    const std::string_view name(
        user_name == nullptr ? "" : static_cast<const char*>(user_name),
        length);

    // Step 2: delete and count.
    auto result = store->store->DeleteUserTokens(name);
    if (!result.ok()) return tks::api::Fail(err, result.status());
    if (deleted != nullptr) *deleted = *result;
    return tks::api::Succeed(err);
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

int tks_store_purge_expired(tks_store* store, uint64_t before_ms,
                            uint64_t limit, uint64_t* deleted,
                            tks_error** err) {
  try {
    // Step 1: check the arguments.
    if (deleted != nullptr) *deleted = 0;
    if (store == nullptr) return tks::api::NullArgument(err, "store");
    if (limit == 0) {
      return tks::api::Fail(err, tks::InvalidArgument("limit is 0"));
    }
    const size_t bounded = limit > SIZE_MAX ? SIZE_MAX : limit;

    // Step 2: purge one batch and count.
    auto result = store->store->PurgeExpired(before_ms, bounded);
    if (!result.ok()) return tks::api::Fail(err, result.status());
    if (deleted != nullptr) *deleted = *result;
    return tks::api::Succeed(err);
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

}  // extern "C"

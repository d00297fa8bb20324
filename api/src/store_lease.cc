// Refresh leases in the C API.
#include <chrono>
#include <cstdint>

#include "handles.h"

extern "C" {

int tks_store_lease_acquire(tks_store* store, const char* id,
                            const char* holder, uint64_t ttl_ms,
                            tks_error** err) {
  try {
    // Step 1: check the arguments; the engine checks the holder.
    if (store == nullptr) return tks::api::NullArgument(err, "store");
    if (id == nullptr) return tks::api::NullArgument(err, "id");
    if (holder == nullptr) return tks::api::NullArgument(err, "holder");
    if (ttl_ms == 0 || ttl_ms > INT64_MAX) {
      return tks::api::Fail(
          err, tks::InvalidArgument("ttl_ms must be 1 to INT64_MAX"));
    }

    // Step 2: take or renew the lease.
    const std::chrono::milliseconds ttl(static_cast<int64_t>(ttl_ms));
    return tks::api::Report(err,
                            store->store->AcquireRefreshLease(id, holder, ttl));
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

int tks_store_lease_release(tks_store* store, const char* id,
                            const char* holder, tks_error** err) {
  try {
    if (store == nullptr) return tks::api::NullArgument(err, "store");
    if (id == nullptr) return tks::api::NullArgument(err, "id");
    if (holder == nullptr) return tks::api::NullArgument(err, "holder");
    return tks::api::Report(err, store->store->ReleaseRefreshLease(id, holder));
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

}  // extern "C"

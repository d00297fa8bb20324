// Opening and closing a store, its path and its statistics.
#include <algorithm>
#include <cstring>

#include "handles.h"

extern "C" {

int tks_store_open(const tks_options* options, tks_store** out,
                   tks_error** err) {
  try {
    // Step 1: check the arguments.
    if (out == nullptr) return tks::api::NullArgument(err, "out");
    *out = nullptr;
    if (options == nullptr) return tks::api::NullArgument(err, "options");

    // Step 2: open the engine store and wrap it.
    auto opened = tks::Store::Open(options->options);
    if (!opened.ok()) return tks::api::Fail(err, opened.status());
    auto handle = std::make_unique<tks_store>();
    handle->store = std::move(opened).value();
    *out = handle.release();
    return tks::api::Succeed(err);
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

void tks_store_close(tks_store* store) {
  try {
    delete store;
  } catch (...) {
    // Destructors do not throw; nothing to report from a void call.
  }
}

const char* tks_store_path(const tks_store* store) {
  try {
    return store == nullptr ? "" : store->store->path().c_str();
  } catch (...) {
    return "";
  }
}

int tks_store_stats(tks_store* store, tks_stats* out, size_t size,
                    tks_error** err) {
  try {
    // Step 1: check the arguments.
    if (store == nullptr) return tks::api::NullArgument(err, "store");
    if (out == nullptr) return tks::api::NullArgument(err, "out");
    if (size == 0) {
      return tks::api::Fail(err, tks::InvalidArgument("size is 0"));
    }

    // Step 2: read the engine's statistics.
    auto stats = store->store->GetStats();
    if (!stats.ok()) return tks::api::Fail(err, stats.status());

    // Step 3: copy as much of them as the caller's struct holds.
    tks_stats all{};
    all.record_count = stats->record_count;
    all.user_index_entries = stats->user_index_entries;
    all.refresh_index_entries = stats->refresh_index_entries;
    all.access_index_entries = stats->access_index_entries;
    all.grant_index_entries = stats->grant_index_entries;
    all.expiry_index_entries = stats->expiry_index_entries;
    all.id_index_entries = stats->id_index_entries;
    all.lease_count = stats->lease_count;
    all.file_size_bytes = stats->file_size_bytes;
    all.map_size_bytes = stats->map_size_bytes;
    all.map_used_bytes = stats->map_used_bytes;
    all.page_size = stats->page_size;
    all.next_id = stats->next_id;
    all.format_version = stats->format_version;
    all.active_data_key_id = stats->active_data_key_id;
    std::memcpy(out, &all, std::min(size, sizeof(all)));
    return tks::api::Succeed(err);
  } catch (...) {
    return tks::api::CaughtException(err);
  }
}

}  // extern "C"

// Issue #6 through the C API (api/include/tks/tks.h): no canary in any
// error message, log line or file after every call, good and bad; a
// deleted record is not brought back by a late save; the refresh lease is
// single-flight. The log sink (tks_options_set_log) is installed on every
// open and receives every level (the C API has no level filter: DEBUG is
// the most verbose there is).
#include <tks/tks.h>

#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "canary.h"
#include "raw_lmdb.h"
#include "reliability_support.h"
#include "test_store.h"

namespace tks::reliability {
namespace {

class CApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.Sub("store");
    ASSERT_EQ(Open(std::string(32, 'k'), &store_), TKS_OK);
  }
  void TearDown() override { tks_store_close(store_); }

  int Open(const std::string& key, tks_store** out) {
    tks_options* options = nullptr;
    tks_options_create(&options);
    tks_options_set_path(options, path_.c_str());
    tks_options_set_key_bytes(options, key.data(), key.size());
    EXPECT_EQ(tks_options_set_log(options, &CApiTest::Log, this), TKS_OK);
    tks_error* err = nullptr;
    const int rc = tks_store_open(options, out, &err);
    Keep(err);
    tks_options_free(options);
    return rc;
  }

  // The log sink: keeps every line (level, message) for the scan.
  static void Log(void* context, int level, const char* message,
                  size_t length) {
    auto* self = static_cast<CApiTest*>(context);
    std::lock_guard lock(self->log_mu_);
    EXPECT_TRUE(level >= TKS_LOG_DEBUG && level <= TKS_LOG_ERROR) << level;
    EXPECT_EQ(std::string(message).size(), length);
    self->levels_seen_ |= 1u << (level & 7);
    self->logs_.emplace_back(message, length);
  }

  // Remembers an error's message for the scan and frees it.
  void Keep(tks_error* err) {
    if (err != nullptr) messages_.emplace_back(tks_error_message(err));
    tks_error_free(err);
  }

  tks_token* CanaryToken() {
    tks_token* token = nullptr;
    tks_token_create(&token);
    for (int field :
         {TKS_FIELD_USER_NAME, TKS_FIELD_CLIENT_SECRET, TKS_FIELD_REFRESH_TOKEN,
          TKS_FIELD_ACCESS_TOKEN, TKS_FIELD_GRANT_TOKEN}) {
      canaries_.push_back(RandomCanary(rng_));
      tks_token_field_set(token, field, canaries_.back().data(),
                          canaries_.back().size());
    }
    return token;
  }

  std::string Field(const tks_token* token, int field) {
    const void* data = nullptr;
    size_t length = 0;
    tks_token_field_get(token, field, &data, &length);
    return data != nullptr ? std::string(static_cast<const char*>(data), length)
                           : std::string();
  }

  int Hits(const std::string& text) {
    int hits = 0;
    for (const std::string& canary : canaries_) {
      for (const std::string& encoding : Encodings(canary)) {
        hits += text.find(encoding) != std::string::npos;
      }
    }
    return hits;
  }

  testing::TempDir dir_;
  std::string path_;
  tks_store* store_ = nullptr;
  std::mt19937_64 rng_{std::random_device{}()};
  std::vector<std::string> canaries_;
  std::vector<std::string> messages_;
  std::mutex log_mu_;
  std::vector<std::string> logs_;
  unsigned levels_seen_ = 0;
};

TEST_F(CApiTest, NoCanaryInErrorMessagesOrFiles) {
  // Step 1: saves, a conflict, a bad CAS, an unknown id, limits.
  tks_error* err = nullptr;
  std::vector<tks_token*> saved;
  for (int i = 0; i < 4; ++i) {
    saved.push_back(CanaryToken());
    ASSERT_EQ(tks_store_save(store_, saved.back(), &err), TKS_OK);
  }
  tks_token* clash = CanaryToken();
  const std::string taken = Field(saved[0], TKS_FIELD_REFRESH_TOKEN);
  tks_token_field_set(clash, TKS_FIELD_REFRESH_TOKEN, taken.data(),
                      taken.size());
  EXPECT_EQ(tks_store_save(store_, clash, &err), TKS_CONFLICT);
  Keep(err);
  err = nullptr;
  EXPECT_EQ(tks_store_save_if(store_, saved[1], 99, &err), TKS_CONFLICT);
  Keep(err);
  err = nullptr;
  tks_token_field_set(clash, TKS_FIELD_ID, "424242", 6);
  EXPECT_EQ(tks_store_save(store_, clash, &err), TKS_NOT_FOUND);
  Keep(err);
  err = nullptr;
  std::string big;
  while (big.size() <= TKS_MAX_FIELD_BYTES) big += canaries_.back();
  EXPECT_EQ(tks_token_field_set(clash, TKS_FIELD_ACCESS_TOKEN, big.data(),
                                big.size()),
            TKS_INVALID_ARGUMENT);
  tks_token_free(clash);

  // Step 2: finds, leases, deletes, bad arguments.
  for (tks_token* token : saved) {
    tks_token* query = nullptr;
    tks_token_create(&query);
    const std::string user = Field(token, TKS_FIELD_USER_NAME);
    tks_token_field_set(query, TKS_FIELD_USER_NAME, user.data(), user.size());
    int found = 0;
    EXPECT_EQ(tks_store_find(store_, query, &found, &err), TKS_OK);
    EXPECT_EQ(found, 1);
    tks_token_free(query);
  }
  const std::string id0 = tks_token_id(saved[0]);
  EXPECT_EQ(tks_store_lease_acquire(store_, id0.c_str(), "a", 5000, &err),
            TKS_OK);
  EXPECT_EQ(tks_store_lease_acquire(store_, id0.c_str(), "b", 5000, &err),
            TKS_LEASE_HELD);
  Keep(err);
  err = nullptr;
  EXPECT_EQ(tks_store_find(store_, nullptr, nullptr, &err),
            TKS_INVALID_ARGUMENT);
  Keep(err);
  err = nullptr;
  const std::string user3 = Field(saved[3], TKS_FIELD_USER_NAME);
  uint64_t deleted = 0;
  EXPECT_EQ(
      tks_store_delete_user(store_, user3.data(), user3.size(), &deleted, &err),
      TKS_OK);
  EXPECT_EQ(deleted, 1u);

  // Step 3: a late save of a deleted record is refused.
  const std::string id2 = tks_token_id(saved[2]);
  EXPECT_EQ(tks_store_delete(store_, id2.c_str(), &err), TKS_OK);
  EXPECT_EQ(tks_store_save(store_, saved[2], &err), TKS_NOT_FOUND);
  Keep(err);
  err = nullptr;
  tks_token* gone = nullptr;
  EXPECT_EQ(tks_store_find_by_id(store_, id2.c_str(), &gone, &err),
            TKS_NOT_FOUND);
  Keep(err);
  err = nullptr;
  for (tks_token* token : saved) tks_token_free(token);

  // Step 4: wrong key, then a damaged record read back.
  tks_store_close(store_);
  store_ = nullptr;
  tks_store* wrong = nullptr;
  EXPECT_EQ(Open(std::string(32, 'w'), &wrong), TKS_WRONG_KEY);
  {
    RawLmdb raw(path_);
    auto values = raw.ReadAll("records");
    ASSERT_FALSE(values.empty());
    std::string value = values.begin()->second;
    value[value.size() / 2] ^= 0x10;
    ASSERT_TRUE(raw.Put("records", values.begin()->first, value));
  }
  ASSERT_EQ(Open(std::string(32, 'k'), &store_), TKS_OK);
  tks_token* damaged = nullptr;
  EXPECT_EQ(tks_store_find_by_id(store_, id0.c_str(), &damaged, &err),
            TKS_CORRUPT);
  EXPECT_NE(std::string(tks_error_message(err)).find(id0), std::string::npos);
  Keep(err);
  err = nullptr;
  tks_store_close(store_);
  store_ = nullptr;

  // Step 5: the damaged record met by the iterator, stats, purge, and
  // calls with bad arguments, then a clean close.
  ASSERT_EQ(Open(std::string(32, 'k'), &store_), TKS_OK);
  tks_iter* iter = nullptr;
  ASSERT_EQ(tks_iter_create(store_, &iter, &err), TKS_OK);
  int corrupt = 0;
  for (int step = 0; step < 16; ++step) {
    tks_token* next = nullptr;
    const int rc = tks_iter_next(iter, &next, &err);
    if (rc != TKS_OK) {
      ++corrupt;
      Keep(err);
      err = nullptr;
      continue;
    }
    if (next == nullptr) break;
    tks_token_free(next);
  }
  tks_iter_free(iter);
  EXPECT_EQ(corrupt, 1);
  tks_stats stats{};
  EXPECT_EQ(tks_store_stats(store_, &stats, sizeof stats, &err), TKS_OK);
  uint64_t purged = 0;
  EXPECT_EQ(tks_store_purge_expired(store_, 1, 0, &purged, &err),
            TKS_INVALID_ARGUMENT);
  Keep(err);
  err = nullptr;
  EXPECT_EQ(tks_store_save(store_, nullptr, &err), TKS_INVALID_ARGUMENT);
  Keep(err);
  err = nullptr;
  EXPECT_EQ(tks_store_delete(store_, nullptr, &err), TKS_INVALID_ARGUMENT);
  Keep(err);
  err = nullptr;
  EXPECT_EQ(tks_store_lease_release(store_, "424243", "b", &err),
            TKS_NOT_FOUND);
  Keep(err);
  err = nullptr;
  EXPECT_EQ(tks_store_delete_all(store_, &err), TKS_OK);
  tks_store_close(store_);
  store_ = nullptr;

  // Step 6: the scan, and a check that it can see a canary at all.
  std::string said;
  for (const std::string& message : messages_) said += message + "\n";
  std::string logged;
  {
    std::lock_guard lock(log_mu_);
    for (const std::string& line : logs_) logged += line + "\n";
    EXPECT_GE(logs_.size(), 4u) << "the log sink received too little";
    Figure("capi_log_lines", logs_.size());
    Figure("capi_log_levels_seen_mask", levels_seen_);
  }
  EXPECT_GE(messages_.size(), 8u);
  EXPECT_EQ(Hits(said), 0) << said;
  EXPECT_EQ(Hits(logged), 0) << logged;
  EXPECT_EQ(Hits(ReadFile(path_ + "/data.mdb")), 0);
  EXPECT_EQ(Hits(ReadFile(path_ + "/lock.mdb")), 0);
  EXPECT_GT(Hits(Hex(canaries_[0], false)), 0);
  Figure("capi_messages", messages_.size());
  Figure("capi_canaries", canaries_.size());
}

}  // namespace
}  // namespace tks::reliability

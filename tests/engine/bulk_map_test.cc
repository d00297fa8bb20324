// A large batch grows the map once, up front, instead of filling it
// midway and running its transaction again after each doubling.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "test_store.h"
#include "tokenstore/store.h"

namespace tks {
namespace {

using testing::OpenOrDie;
using testing::TempDir;
using testing::TestOptions;

std::vector<Token> Batch(size_t count) {
  std::vector<Token> batch;
  for (size_t i = 0; i < count; ++i) {
    const std::string n = std::to_string(i);
    Token token;
    token.set(Field::kId, "bulk-" + n);
    token.set(Field::kUserName, "user" + n + "@example.com");
    token.set(Field::kRefreshToken, "1000.refresh." + n + std::string(60, 'r'));
    token.set(Field::kAccessToken, "1000.access." + n + std::string(60, 'a'));
    token.set(Field::kExpiryTime, "1796400000000");
    batch.push_back(std::move(token));
  }
  return batch;
}

TEST(BulkMapTest, LargeBatchOnATinyMapGrowsItOnceAndLandsWhole) {
  // Step 1: a store with a 1 MiB map that logs each growth.
  TempDir dir;
  Options options = TestOptions(dir.path());
  options.initial_map_size = size_t{1} << 20;
  std::mutex mu;
  std::vector<std::string> growths;
  options.log = [&](LogLevel, std::string_view message) {
    std::lock_guard lock(mu);
    if (message.find("map grown") != std::string_view::npos) {
      growths.emplace_back(message);
    }
  };
  auto store = OpenOrDie(options);
  ASSERT_NE(store, nullptr);

  // Step 2: 20,000 records (~13 MB) in one batch.
  std::vector<Token> batch = Batch(20000);
  ASSERT_TRUE(store->InsertTokensWithIds(batch).ok());

  // Step 3: one growth, and every record is there.
  EXPECT_EQ(growths.size(), 1u);
  for (size_t i : {size_t{0}, size_t{9999}, size_t{19999}}) {
    auto found = store->FindTokenById("bulk-" + std::to_string(i));
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_EQ(found->view(Field::kUserName),
              "user" + std::to_string(i) + "@example.com");
  }
}

TEST(BulkMapTest, BatchBeyondTheMapLimitFailsWholeWithMapFull) {
  // The limit stops the reservation; the batch then fails cleanly.
  TempDir dir;
  Options options = TestOptions(dir.path());
  options.initial_map_size = size_t{1} << 20;
  options.max_map_size = size_t{2} << 20;
  auto store = OpenOrDie(options);
  ASSERT_NE(store, nullptr);

  std::vector<Token> batch = Batch(20000);
  const Status status = store->InsertTokensWithIds(batch);
  EXPECT_EQ(status.code(), Code::kMapFull) << status.ToString();
  EXPECT_EQ(store->FindTokenById("bulk-0").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace tks

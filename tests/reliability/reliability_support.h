// Shared pieces of the reliability tests: long mode, store options that
// match the helper's, and checks that a record is found by every path.
#ifndef TOKENSTORE_TESTS_RELIABILITY_RELIABILITY_SUPPORT_H_
#define TOKENSTORE_TESTS_RELIABILITY_RELIABILITY_SUPPORT_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "test_store.h"
#include "tokenstore/store.h"

namespace tks::reliability {

// TKS_RELIABILITY_LONG=1 selects the long mode (documented in
// tests/RELIABILITY.md); CI runs the normal mode.
inline bool LongMode() {
  const char* value = std::getenv("TKS_RELIABILITY_LONG");
  return value != nullptr && std::string(value) == "1";
}

// Durable options with the key the helper uses ('k' * 32).
inline Options DurableOptions(const std::string& path) {
  Options options = testing::TestOptions(path);
  options.durability = Durability::kFull;
  return options;
}

// One figure of a run, printed for tests/RELIABILITY.md.
inline void Figure(const std::string& name, uint64_t value) {
  std::cout << "[figure] " << name << " = " << value << std::endl;
  ::testing::Test::RecordProperty(name, std::to_string(value));
}

// Expects `expected` (by id) to be found by id, user name, access token,
// grant token and refresh token with the same id.
inline void ExpectFoundByEveryPath(const Store& store, const Token& expected) {
  const std::string id(expected.id());
  auto by_id = store.FindTokenById(id);
  ASSERT_TRUE(by_id.ok()) << "id " << id << ": " << by_id.status().ToString();
  auto expect_path = [&](const Token& query, const char* path) {
    auto found = store.FindToken(query);
    ASSERT_TRUE(found.ok()) << path << ": " << found.status().ToString();
    ASSERT_TRUE(found.value().has_value()) << path << " lost id " << id;
    EXPECT_EQ(found.value()->id(), id) << path;
  };
  Token by_user;
  by_user.set(Field::kUserName, expected.view(Field::kUserName));
  expect_path(by_user, "user name");
  Token by_access;
  by_access.set(Field::kAccessToken, expected.view(Field::kAccessToken));
  expect_path(by_access, "access token");
  Token by_grant;
  by_grant.set(Field::kGrantToken, expected.view(Field::kGrantToken));
  by_grant.set(Field::kClientId, "1000.CLIENT");
  by_grant.set(Field::kClientSecret, "secret");
  expect_path(by_grant, "grant token");
  Token by_refresh;
  by_refresh.set(Field::kRefreshToken, expected.view(Field::kRefreshToken));
  by_refresh.set(Field::kClientId, "1000.CLIENT");
  by_refresh.set(Field::kClientSecret, "secret");
  expect_path(by_refresh, "refresh token");
}

// Expects no find path to return `gone` (a deleted record).
inline void ExpectGoneFromEveryPath(const Store& store, const Token& gone) {
  const std::string id(gone.id());
  auto by_id = store.FindTokenById(id);
  EXPECT_EQ(by_id.status().code(), Code::kNotFound) << "id " << id;
  Token queries[4];
  queries[0].set(Field::kUserName, gone.view(Field::kUserName));
  queries[1].set(Field::kAccessToken, gone.view(Field::kAccessToken));
  queries[2].set(Field::kGrantToken, gone.view(Field::kGrantToken));
  queries[3].set(Field::kRefreshToken, gone.view(Field::kRefreshToken));
  for (int i = 2; i < 4; ++i) {
    queries[i].set(Field::kClientId, "1000.CLIENT");
    queries[i].set(Field::kClientSecret, "secret");
  }
  for (const Token& query : queries) {
    auto found = store.FindToken(query);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_FALSE(found.value().has_value())
        << "deleted id " << id << " came back";
  }
}

}  // namespace tks::reliability

#endif  // TOKENSTORE_TESTS_RELIABILITY_RELIABILITY_SUPPORT_H_

// The Token value type: one wiped buffer holding every field.
#include "tokenstore/token.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace tks {
namespace {

TEST(TokenTest, NullEmptyAndSetAreDistinct) {
  Token token;
  EXPECT_FALSE(token.has(Field::kGrantToken));
  EXPECT_FALSE(token.get(Field::kGrantToken).has_value());

  token.set(Field::kGrantToken, "");
  ASSERT_TRUE(token.get(Field::kGrantToken).has_value());
  EXPECT_EQ(*token.get(Field::kGrantToken), "");
  EXPECT_NE(token.get(Field::kGrantToken)->data(), nullptr);

  token.clear(Field::kGrantToken);
  EXPECT_FALSE(token.has(Field::kGrantToken));
}

TEST(TokenTest, EveryValueIsFollowedByANul) {
  // The C API hands out the id as a C string.
  Token token;
  token.set(Field::kId, "42");
  token.set(Field::kUserName, std::string("a\0b", 3));
  EXPECT_EQ(token.id().data()[2], '\0');
  EXPECT_EQ(token.view(Field::kUserName), std::string("a\0b", 3));
  EXPECT_EQ(token.view(Field::kUserName).data()[3], '\0');
}

TEST(TokenTest, SettingFromItsOwnFieldCopiesFirst) {
  // Appending may move the buffer under the value being copied.
  Token token;
  token.set(Field::kAccessToken, std::string(40, 'a'));
  for (int i = 0; i < 50; ++i) {
    token.set(Field::kRefreshToken, token.view(Field::kAccessToken));
    token.set(Field::kAccessToken, token.view(Field::kRefreshToken));
  }
  EXPECT_EQ(token.view(Field::kRefreshToken), std::string(40, 'a'));
  EXPECT_EQ(token.view(Field::kAccessToken), std::string(40, 'a'));
}

TEST(TokenTest, RepeatedSetsKeepEveryFieldAcrossCompaction) {
  // Each replaced value becomes dead bytes until the buffer is compacted;
  // the live values must survive every compaction unchanged.
  Token token;
  token.set(Field::kId, "id-1");
  token.set(Field::kClientId, "client");
  token.clear(Field::kApiDomain);
  token.set(Field::kExpiryTime, "");
  for (int round = 0; round < 500; ++round) {
    token.set(Field::kAccessToken, "access-" + std::to_string(round));
  }
  EXPECT_EQ(token.id(), "id-1");
  EXPECT_EQ(token.view(Field::kClientId), "client");
  EXPECT_EQ(token.view(Field::kAccessToken), "access-499");
  EXPECT_TRUE(token.has(Field::kExpiryTime));
  EXPECT_FALSE(token.has(Field::kApiDomain));
}

TEST(TokenTest, CopiesAreIndependentAndMovesLeaveEmpty) {
  Token original;
  original.set(Field::kId, "7");
  original.set(Field::kUserName, "user@example.com");
  original.set_generation(3);

  Token copy = original;
  copy.set(Field::kUserName, "other@example.com");
  EXPECT_EQ(original.view(Field::kUserName), "user@example.com");

  Token moved = std::move(original);
  EXPECT_EQ(moved.view(Field::kUserName), "user@example.com");
  EXPECT_EQ(moved.generation(), 3u);
  for (Field f : kAllFields) EXPECT_FALSE(original.has(f));  // NOLINT

  Token assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.id(), "7");
  EXPECT_FALSE(moved.has_id());  // NOLINT
}

TEST(TokenTest, MergeFillsOnlyNullFields) {
  Token stored;
  stored.set(Field::kId, "1");
  stored.set(Field::kAccessToken, "old");
  stored.set(Field::kRefreshToken, "refresh");
  stored.set_generation(5);

  Token caller;
  caller.set(Field::kAccessToken, "new");
  caller.MergeFrom(stored);
  EXPECT_EQ(caller.view(Field::kAccessToken), "new");
  EXPECT_EQ(caller.view(Field::kRefreshToken), "refresh");
  EXPECT_EQ(caller.id(), "1");
  EXPECT_EQ(caller.generation(), 5u);
  EXPECT_TRUE(caller.SameFields(caller));
  EXPECT_FALSE(caller.SameFields(stored));
}

}  // namespace
}  // namespace tks

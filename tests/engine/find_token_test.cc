// DESIGN §3.1: find_token rules, one test each.
#include "test_store.h"

namespace tks {
namespace {

using testing::MakeToken;
using testing::OpenEphemeral;

class FindTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenEphemeral();
    ASSERT_NE(store_, nullptr);
    first_ = MakeToken({{Field::kUserName, "ann@example.com:1"},
                        {Field::kClientId, "1000.CLIENT"},
                        {Field::kClientSecret, "secret-a"},
                        {Field::kRefreshToken, "refresh-a"},
                        {Field::kAccessToken, "access-a"},
                        {Field::kGrantToken, "grant-a"},
                        {Field::kExpiryTime, "1796400639539"}});
    second_ = MakeToken({{Field::kUserName, "bob@example.com:2"},
                         {Field::kClientId, "1000.CLIENT"},
                         {Field::kClientSecret, "secret-b"},
                         {Field::kRefreshToken, "refresh-b"},
                         {Field::kAccessToken, "access-b"}});
    ASSERT_TRUE(store_->SaveToken(first_).ok());
    ASSERT_TRUE(store_->SaveToken(second_).ok());
  }

  std::optional<Token> Find(const Token& query) {
    auto found = store_->FindToken(query);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? std::move(found.value()) : std::nullopt;
  }

  std::unique_ptr<Store> store_;
  Token first_;
  Token second_;
};

TEST_F(FindTokenTest, ByUserNameReturnsThatUsersRecord) {
  auto found = Find(MakeToken({{Field::kUserName, "bob@example.com:2"}}));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id(), second_.id());
  EXPECT_EQ(found->view(Field::kRefreshToken), "refresh-b");
  EXPECT_EQ(found->generation(), 1u);
}

TEST_F(FindTokenTest, UserNameDecidesAloneAndNeverFallsBack) {
  // A user name that matches nothing, with an access token that would.
  auto found = Find(MakeToken({{Field::kUserName, "nobody@example.com"},
                               {Field::kAccessToken, "access-a"}}));
  EXPECT_FALSE(found);
}

TEST_F(FindTokenTest, EmptyUserNameMatchesNothing) {
  Token blank = MakeToken(
      {{Field::kUserName, ""}, {Field::kAccessToken, "access-blank"}});
  ASSERT_TRUE(store_->SaveToken(blank).ok());
  EXPECT_FALSE(Find(MakeToken({{Field::kUserName, ""}})));
}

TEST_F(FindTokenTest, ByAccessTokenWithoutClientCredentials) {
  auto found = Find(MakeToken({{Field::kAccessToken, "access-a"}}));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id(), first_.id());
}

TEST_F(FindTokenTest, AccessTokenWithClientIdIsNotTheAccessRule) {
  // Rule 2 needs neither client id nor secret; rule 3 needs a grant or
  // refresh token; so this query matches nothing.
  auto found = Find(MakeToken(
      {{Field::kAccessToken, "access-a"}, {Field::kClientId, "1000.CLIENT"}}));
  EXPECT_FALSE(found);
}

TEST_F(FindTokenTest, GrantTokenWithBothCredentials) {
  auto found = Find(MakeToken({{Field::kGrantToken, "grant-a"},
                               {Field::kClientId, "any"},
                               {Field::kClientSecret, "any"}}));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id(), first_.id());
}

TEST_F(FindTokenTest, GrantMissThenRefreshToken) {
  auto found = Find(MakeToken({{Field::kGrantToken, "grant-unknown"},
                               {Field::kRefreshToken, "refresh-b"},
                               {Field::kClientId, "x"},
                               {Field::kClientSecret, "y"}}));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id(), second_.id());
}

TEST_F(FindTokenTest, RefreshTokenNeedsBothCredentials) {
  EXPECT_FALSE(Find(MakeToken({{Field::kRefreshToken, "refresh-a"},
                               {Field::kClientId, "1000.CLIENT"}})));
  EXPECT_FALSE(Find(MakeToken({{Field::kRefreshToken, "refresh-a"}})));
}

TEST_F(FindTokenTest, EmptyTokenValuesMatchNothing) {
  EXPECT_FALSE(Find(MakeToken({{Field::kAccessToken, ""}})));
  EXPECT_FALSE(Find(MakeToken({{Field::kRefreshToken, ""},
                               {Field::kClientId, "x"},
                               {Field::kClientSecret, "y"}})));
}

TEST_F(FindTokenTest, QueryWithNoUsableKeyReturnsNothing) {
  // DESIGN §8.6: never "the first record".
  EXPECT_FALSE(Find(Token()));
  EXPECT_FALSE(Find(MakeToken({{Field::kClientId, "1000.CLIENT"},
                               {Field::kClientSecret, "secret-a"}})));
  EXPECT_FALSE(Find(MakeToken({{Field::kExpiryTime, "1796400639539"}})));
}

TEST_F(FindTokenTest, MergeFillsOnlyNullFieldsAndCallerWins) {
  auto found = Find(MakeToken({{Field::kAccessToken, "access-a"},
                               {Field::kApiDomain, "caller-domain"}}));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->view(Field::kApiDomain), "caller-domain");
  EXPECT_EQ(found->view(Field::kRefreshToken), "refresh-a");
  EXPECT_EQ(found->view(Field::kUserName), "ann@example.com:1");
  EXPECT_FALSE(found->has(Field::kRedirectUrl));
}

TEST_F(FindTokenTest, SharedUserNameReturnsFirstInserted) {
  Token later = MakeToken({{Field::kUserName, "ann@example.com:1"},
                           {Field::kAccessToken, "access-later"}});
  // An insert: the access token does not match, and the user name does,
  // so the save would update; give the later record an id-less insert
  // through a different user then rename it by id.
  Token other = MakeToken(
      {{Field::kUserName, "tmp"}, {Field::kAccessToken, "access-later"}});
  ASSERT_TRUE(store_->SaveToken(other).ok());
  Token rename;
  rename.set(Field::kId, other.id());
  rename.set(Field::kUserName, "ann@example.com:1");
  ASSERT_TRUE(store_->SaveToken(rename).ok());

  auto found = Find(MakeToken({{Field::kUserName, "ann@example.com:1"}}));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id(), first_.id());
  (void)later;
}

TEST_F(FindTokenTest, FindByIdReturnsRecordOrNotFound) {
  auto found = store_->FindTokenById(first_.id());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->view(Field::kGrantToken), "grant-a");
  auto missing = store_->FindTokenById("999");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace tks

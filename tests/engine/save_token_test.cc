// DESIGN §3.2: save_token upsert rules, CONFLICT and save_token_if.
#include "test_store.h"

namespace tks {
namespace {

using testing::MakeToken;
using testing::OpenEphemeral;

class SaveTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenEphemeral();
    ASSERT_NE(store_, nullptr);
  }

  size_t Count() {
    auto all = store_->GetTokens();
    EXPECT_TRUE(all.ok());
    return all.ok() ? all->size() : 0;
  }

  std::unique_ptr<Store> store_;
};

TEST_F(SaveTokenTest, InsertAssignsIncreasingIdsAndWritesThemBack) {
  Token a = MakeToken({{Field::kAccessToken, "a"}});
  Token b = MakeToken({{Field::kAccessToken, "b"}});
  ASSERT_TRUE(store_->SaveToken(a).ok());
  ASSERT_TRUE(store_->SaveToken(b).ok());
  EXPECT_EQ(a.id(), "1");
  EXPECT_EQ(b.id(), "2");
  EXPECT_EQ(a.generation(), 1u);
  EXPECT_GT(a.updated_at_ms(), 0u);
}

TEST_F(SaveTokenTest, InsertWithoutAnyTokenIsInvalid) {
  Token token = MakeToken({{Field::kUserName, "u"}, {Field::kClientId, "c"}});
  Status status = store_->SaveToken(token);
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_NE(status.message().find("no token to store"), std::string::npos);
  EXPECT_FALSE(token.has_id());
}

TEST_F(SaveTokenTest, SaveWithIdReplacesAndKeepsNullFields) {
  Token token = MakeToken({{Field::kUserName, "u"},
                           {Field::kRefreshToken, "r1"},
                           {Field::kAccessToken, "a1"}});
  ASSERT_TRUE(store_->SaveToken(token).ok());
  Token update;
  update.set(Field::kId, token.id());
  update.set(Field::kAccessToken, "a2");
  ASSERT_TRUE(store_->SaveToken(update).ok());
  EXPECT_EQ(update.generation(), 2u);

  auto stored = store_->FindTokenById(token.id());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->view(Field::kAccessToken), "a2");
  EXPECT_EQ(stored->view(Field::kRefreshToken), "r1");
  EXPECT_EQ(stored->view(Field::kUserName), "u");
  // The old access token no longer finds anything; the new one does.
  auto old = store_->FindToken(MakeToken({{Field::kAccessToken, "a1"}}));
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old.value());
  auto now = store_->FindToken(MakeToken({{Field::kAccessToken, "a2"}}));
  ASSERT_TRUE(now.ok() && now.value());
}

TEST_F(SaveTokenTest, SaveWithUnknownIdIsNotFound) {
  Token token = MakeToken({{Field::kId, "42"}, {Field::kAccessToken, "a"}});
  EXPECT_EQ(store_->SaveToken(token).code(), Code::kNotFound);
  EXPECT_EQ(Count(), 0u);
}

TEST_F(SaveTokenTest, StaleSaveAfterDeleteDoesNotResurrect) {
  // DESIGN §8.5.
  Token token =
      MakeToken({{Field::kUserName, "u"}, {Field::kRefreshToken, "r"}});
  ASSERT_TRUE(store_->SaveToken(token).ok());
  Token stale = token;
  ASSERT_TRUE(store_->DeleteToken(token.id()).ok());
  EXPECT_EQ(store_->SaveToken(stale).code(), Code::kNotFound);
  EXPECT_EQ(Count(), 0u);
}

TEST_F(SaveTokenTest, SaveWithoutIdUpdatesRecordFoundByRules) {
  Token token =
      MakeToken({{Field::kUserName, "u"}, {Field::kAccessToken, "a1"}});
  ASSERT_TRUE(store_->SaveToken(token).ok());
  Token again =
      MakeToken({{Field::kUserName, "u"}, {Field::kAccessToken, "a2"}});
  ASSERT_TRUE(store_->SaveToken(again).ok());
  EXPECT_EQ(again.id(), token.id());
  EXPECT_EQ(again.generation(), 2u);
  EXPECT_EQ(Count(), 1u);
}

TEST_F(SaveTokenTest, ResavingIdenticalValuesCreatesNoDuplicate) {
  // DESIGN §8.9.
  for (int i = 0; i < 3; ++i) {
    Token token = MakeToken({{Field::kUserName, "u"},
                             {Field::kClientId, "c"},
                             {Field::kClientSecret, "s"},
                             {Field::kRefreshToken, "r"},
                             {Field::kAccessToken, "a"}});
    ASSERT_TRUE(store_->SaveToken(token).ok());
    EXPECT_EQ(token.id(), "1");
  }
  EXPECT_EQ(Count(), 1u);
}

TEST_F(SaveTokenTest, TokenValueOfAnotherRecordIsConflict) {
  Token a = MakeToken({{Field::kUserName, "a"}, {Field::kRefreshToken, "r"}});
  Token b = MakeToken({{Field::kUserName, "b"}, {Field::kRefreshToken, "q"}});
  ASSERT_TRUE(store_->SaveToken(a).ok());
  ASSERT_TRUE(store_->SaveToken(b).ok());

  Token steal;
  steal.set(Field::kId, b.id());
  steal.set(Field::kRefreshToken, "r");
  EXPECT_EQ(store_->SaveToken(steal).code(), Code::kConflict);

  // Nothing changed: b keeps its own token, a still owns "r".
  auto stored = store_->FindTokenById(b.id());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->view(Field::kRefreshToken), "q");
  EXPECT_EQ(stored->generation(), 1u);
  Token insert = MakeToken({{Field::kUserName, "c"},
                            {Field::kGrantToken, "g"},
                            {Field::kAccessToken, "x"},
                            {Field::kRefreshToken, "r"}});
  EXPECT_EQ(store_->SaveToken(insert).code(), Code::kConflict);
  EXPECT_EQ(Count(), 2u);
}

TEST_F(SaveTokenTest, SaveTokenIfChecksGeneration) {
  Token token =
      MakeToken({{Field::kUserName, "u"}, {Field::kRefreshToken, "r1"}});
  ASSERT_TRUE(store_->SaveTokenIf(token, 0).ok());
  EXPECT_EQ(token.generation(), 1u);

  Token winner = MakeToken(
      {{Field::kId, std::string(token.id())}, {Field::kRefreshToken, "r2"}});
  Token loser = MakeToken(
      {{Field::kId, std::string(token.id())}, {Field::kRefreshToken, "r3"}});
  ASSERT_TRUE(store_->SaveTokenIf(winner, 1).ok());
  EXPECT_EQ(store_->SaveTokenIf(loser, 1).code(), Code::kConflict);

  auto stored = store_->FindTokenById(token.id());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->view(Field::kRefreshToken), "r2");
  EXPECT_EQ(stored->generation(), 2u);
}

TEST_F(SaveTokenTest, SaveTokenIfExpectingAbsenceRefusesUpdate) {
  Token token =
      MakeToken({{Field::kUserName, "u"}, {Field::kAccessToken, "a"}});
  ASSERT_TRUE(store_->SaveToken(token).ok());
  Token again =
      MakeToken({{Field::kUserName, "u"}, {Field::kAccessToken, "b"}});
  EXPECT_EQ(store_->SaveTokenIf(again, 0).code(), Code::kConflict);
  Token fresh =
      MakeToken({{Field::kUserName, "v"}, {Field::kAccessToken, "c"}});
  EXPECT_EQ(store_->SaveTokenIf(fresh, 3).code(), Code::kConflict);
}

TEST_F(SaveTokenTest, DeleteAndDeleteAll) {
  Token a = MakeToken({{Field::kAccessToken, "a"}});
  Token b = MakeToken({{Field::kAccessToken, "b"}});
  ASSERT_TRUE(store_->SaveToken(a).ok());
  ASSERT_TRUE(store_->SaveToken(b).ok());
  EXPECT_TRUE(store_->DeleteToken(a.id()).ok());
  EXPECT_EQ(store_->DeleteToken(a.id()).code(), Code::kNotFound);
  EXPECT_EQ(store_->FindTokenById(a.id()).status().code(), Code::kNotFound);
  ASSERT_TRUE(store_->DeleteTokens().ok());
  EXPECT_EQ(Count(), 0u);
  auto found = store_->FindToken(MakeToken({{Field::kAccessToken, "b"}}));
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found.value());
  // Ids are never reused, so a stale copy cannot hit a new record.
  Token c = MakeToken({{Field::kAccessToken, "c"}});
  ASSERT_TRUE(store_->SaveToken(c).ok());
  EXPECT_EQ(c.id(), "3");
}

TEST_F(SaveTokenTest, GetTokensKeepsInsertionOrder) {
  for (const char* value : {"z", "a", "m"}) {
    Token token = MakeToken({{Field::kAccessToken, value}});
    ASSERT_TRUE(store_->SaveToken(token).ok());
  }
  Token update = MakeToken({{Field::kId, "1"}, {Field::kAccessToken, "zz"}});
  ASSERT_TRUE(store_->SaveToken(update).ok());
  auto all = store_->GetTokens();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].view(Field::kAccessToken), "zz");
  EXPECT_EQ((*all)[1].view(Field::kAccessToken), "a");
  EXPECT_EQ((*all)[2].view(Field::kAccessToken), "m");
}

TEST_F(SaveTokenTest, BatchIsAllOrNothing) {
  std::vector<Token> batch = {MakeToken({{Field::kAccessToken, "a"}}),
                              MakeToken({{Field::kAccessToken, "b"}}),
                              MakeToken({{Field::kAccessToken, "a"},
                                         {Field::kRefreshToken, "r"},
                                         {Field::kClientId, "x"}})};
  // The third has access "a" and a client id: no find rule applies, so it
  // is an insert that conflicts with the first.
  Status status = store_->SaveTokens(batch);
  EXPECT_EQ(status.code(), Code::kConflict);
  EXPECT_NE(status.message().find("batch item 2"), std::string::npos);
  EXPECT_EQ(Count(), 0u);

  batch.pop_back();
  ASSERT_TRUE(store_->SaveTokens(batch).ok());
  EXPECT_EQ(batch[0].id(), "1");
  EXPECT_EQ(batch[1].id(), "2");
  EXPECT_EQ(Count(), 2u);
}

TEST_F(SaveTokenTest, InsertWithIdsKeepsIdsAndMovesCounterPast) {
  std::vector<Token> batch = {
      MakeToken({{Field::kId, "17"}, {Field::kAccessToken, "a"}}),
      MakeToken({{Field::kId, "user-x"}, {Field::kAccessToken, "b"}})};
  ASSERT_TRUE(store_->InsertTokensWithIds(batch).ok());
  Token next = MakeToken({{Field::kAccessToken, "c"}});
  ASSERT_TRUE(store_->SaveToken(next).ok());
  EXPECT_EQ(next.id(), "18");
  std::vector<Token> again = {
      MakeToken({{Field::kId, "17"}, {Field::kAccessToken, "d"}})};
  EXPECT_EQ(store_->InsertTokensWithIds(again).code(), Code::kConflict);
}

TEST_F(SaveTokenTest, InsertWithIdsRefusesATokenTwiceInTheBatch) {
  std::vector<Token> batch = {
      MakeToken({{Field::kId, "1"}, {Field::kRefreshToken, "same"}}),
      MakeToken({{Field::kId, "2"}, {Field::kRefreshToken, "other"}}),
      MakeToken({{Field::kId, "3"}, {Field::kRefreshToken, "same"}})};
  Status status = store_->InsertTokensWithIds(batch);
  EXPECT_EQ(status.code(), Code::kConflict);
  EXPECT_NE(status.message().find("refresh_token"), std::string::npos);
  EXPECT_EQ(Count(), 0u);
}

TEST_F(SaveTokenTest, InsertWithIdsIntoAFilledStoreIsFoundByEveryPath) {
  // The first batch is appended; the second interleaves with it.
  for (int round = 0; round < 2; ++round) {
    std::vector<Token> batch;
    for (int i = 0; i < 300; ++i) {
      const std::string n = std::to_string(round * 1000 + i);
      batch.push_back(MakeToken({{Field::kUserName, "user-" + n},
                                 {Field::kRefreshToken, "r-" + n},
                                 {Field::kAccessToken, "a-" + n},
                                 {Field::kGrantToken, "g-" + n},
                                 {Field::kExpiryTime, n}}));
    }
    ASSERT_TRUE(store_->InsertTokensWithIds(batch).ok());
  }
  for (int n : {0, 299, 1000, 1299}) {
    const std::string s = std::to_string(n);
    for (const Token& query :
         {MakeToken({{Field::kUserName, "user-" + s}}),
          MakeToken({{Field::kAccessToken, "a-" + s}}),
          MakeToken({{Field::kGrantToken, "g-" + s},
                     {Field::kClientId, "c"},
                     {Field::kClientSecret, "s"}}),
          MakeToken({{Field::kRefreshToken, "r-" + s},
                     {Field::kClientId, "c"},
                     {Field::kClientSecret, "s"}})}) {
      auto found = store_->FindToken(query);
      ASSERT_TRUE(found.ok() && found.value()) << s;
      EXPECT_EQ((*found)->view(Field::kRefreshToken), "r-" + s);
    }
  }
  auto purged = store_->PurgeExpired(1000, 1000);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(purged.value(), 300u);
}

TEST_F(SaveTokenTest, DeleteUserTokensRemovesEveryRecordOfTheUser) {
  for (const char* access : {"a1", "a2", "a3"}) {
    Token token =
        MakeToken({{Field::kUserName, "tmp"}, {Field::kAccessToken, access}});
    // Insert under distinct names, then rename to share one user name.
    token.set(Field::kUserName, access);
    ASSERT_TRUE(store_->SaveToken(token).ok());
    Token rename = MakeToken(
        {{Field::kId, std::string(token.id())}, {Field::kUserName, "shared"}});
    ASSERT_TRUE(store_->SaveToken(rename).ok());
  }
  Token other =
      MakeToken({{Field::kUserName, "other"}, {Field::kAccessToken, "o"}});
  ASSERT_TRUE(store_->SaveToken(other).ok());
  auto deleted = store_->DeleteUserTokens("shared");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted.value(), 3u);
  EXPECT_EQ(Count(), 1u);
}

TEST_F(SaveTokenTest, PurgeExpiredDeletesOldestInBatches) {
  for (int i = 0; i < 10; ++i) {
    Token token = MakeToken({{Field::kAccessToken, "a" + std::to_string(i)},
                             {Field::kExpiryTime, std::to_string(1000 + i)}});
    ASSERT_TRUE(store_->SaveToken(token).ok());
  }
  Token no_expiry =
      MakeToken({{Field::kAccessToken, "n"}, {Field::kExpiryTime, "soon"}});
  ASSERT_TRUE(store_->SaveToken(no_expiry).ok());
  auto first = store_->PurgeExpired(1005, 3);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.value(), 3u);
  auto second = store_->PurgeExpired(1005, 100);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second.value(), 2u);
  EXPECT_EQ(Count(), 6u);
  auto stats = store_->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->expiry_index_entries, 5u);
}

}  // namespace
}  // namespace tks

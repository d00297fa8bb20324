// The operator calls of tokenstore/admin.h: verify (with the damage test
// hooks), backup and root key rotation.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "test_store.h"
#include "tokenstore/admin.h"
#include "tokenstore/admin_testing.h"
#include "tokenstore/tools/sdk_csv.h"

namespace tks::testing {
namespace {

using testing_hooks::Damage;

class StoreAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The 24 sample rows; row id 1 has every field.
    store_ = OpenOrDie(TestOptions(dir_.Sub("store")));
    ASSERT_NE(store_, nullptr);
    auto rows = tools::ReadSdkCsvFile(std::string(TKS_SHARED_DATA_DIR) +
                                      "/sdk_tokens.txt");
    ASSERT_TRUE(rows.ok());
    for (auto& row : *rows) tokens_.push_back(std::move(row.token));
    ASSERT_TRUE(store_->InsertTokensWithIds(tokens_).ok());
  }

  VerifyReport Verify() {
    auto report = VerifyStore(*store_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? report.value() : VerifyReport();
  }

  static bool Mentions(const VerifyReport& report, const std::string& what) {
    return std::any_of(report.problems.begin(), report.problems.end(),
                       [&](const std::string& p) {
                         return p.find(what) != std::string::npos;
                       });
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::vector<Token> tokens_;
};

TEST_F(StoreAdminTest, AnIntactStoreVerifiesClean) {
  const VerifyReport report = Verify();
  EXPECT_TRUE(report.clean()) << report.problems.front();
  EXPECT_EQ(report.records_checked, 24u);
  auto stats = store_->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(report.entries_checked,
            stats->id_index_entries + stats->user_index_entries +
                stats->refresh_index_entries + stats->access_index_entries +
                stats->grant_index_entries + stats->expiry_index_entries);
}

TEST_F(StoreAdminTest, FlippedByteIsReportedByIdAndOthersStillRead) {
  ASSERT_TRUE(
      testing_hooks::DamageStore(*store_, Damage::kFlipRecordByte, "7").ok());
  const VerifyReport report = Verify();
  EXPECT_FALSE(report.clean());
  EXPECT_EQ(report.corrupt_ids, std::vector<std::string>{"7"});
  EXPECT_EQ(report.records_checked, 24u);
  EXPECT_EQ(store_->FindTokenById("7").status().code(), Code::kCorrupt);
  EXPECT_TRUE(store_->FindTokenById("8").ok());
}

class StoreAdminIndexTest : public StoreAdminTest,
                            public ::testing::WithParamInterface<Field> {};

TEST_P(StoreAdminIndexTest, DeletedEntryIsReported) {
  ASSERT_TRUE(Verify().clean());
  ASSERT_TRUE(testing_hooks::DamageStore(*store_, Damage::kDeleteIndexEntry,
                                         "1", GetParam())
                  .ok());
  const VerifyReport report = Verify();
  EXPECT_EQ(report.problem_count, 1u);
  EXPECT_TRUE(Mentions(report, std::string(FieldName(GetParam())) +
                                   " index: no entry for record id 1"))
      << (report.problems.empty() ? "" : report.problems.front());
  EXPECT_TRUE(report.corrupt_ids.empty());
}

TEST_P(StoreAdminIndexTest, OrphanEntryIsReported) {
  ASSERT_TRUE(testing_hooks::DamageStore(*store_, Damage::kAddOrphanIndexEntry,
                                         "1", GetParam())
                  .ok());
  const VerifyReport report = Verify();
  EXPECT_EQ(report.problem_count, 1u);
  EXPECT_TRUE(Mentions(report, std::string(FieldName(GetParam())) +
                                   " index: orphan entry naming record id 1"))
      << (report.problems.empty() ? "" : report.problems.front());
}

INSTANTIATE_TEST_SUITE_P(EveryIndex, StoreAdminIndexTest,
                         ::testing::Values(Field::kId, Field::kUserName,
                                           Field::kRefreshToken,
                                           Field::kAccessToken,
                                           Field::kGrantToken,
                                           Field::kExpiryTime),
                         [](const auto& param_info) {
                           return std::string(FieldName(param_info.param));
                         });

TEST_F(StoreAdminTest, OrphanEntryOfADeletedRecordIsReported) {
  // An entry added for record 2 stays behind when record 2 goes.
  ASSERT_TRUE(testing_hooks::DamageStore(*store_, Damage::kAddOrphanIndexEntry,
                                         "2", Field::kAccessToken)
                  .ok());
  ASSERT_TRUE(store_->DeleteToken("2").ok());
  const VerifyReport report = Verify();
  EXPECT_EQ(report.problem_count, 1u);
  EXPECT_TRUE(Mentions(report,
                       "access_token index: orphan entry for "
                       "sequence"));
}

TEST_F(StoreAdminTest, ReportsHoldNoSecret) {
  ASSERT_TRUE(
      testing_hooks::DamageStore(*store_, Damage::kFlipRecordByte, "3").ok());
  ASSERT_TRUE(testing_hooks::DamageStore(*store_, Damage::kDeleteIndexEntry,
                                         "4", Field::kUserName)
                  .ok());
  const VerifyReport report = Verify();
  ASSERT_EQ(report.problem_count, 2u);
  for (const Token& token : tokens_) {
    for (Field field : kAllFields) {
      if (!IsSecretField(field) || !token.has(field)) continue;
      EXPECT_FALSE(Mentions(report, std::string(token.view(field))));
    }
  }
}

TEST_F(StoreAdminTest, BackupIsAPrivateCopyThatOpensWithTheSameKey) {
  const std::string backup = dir_.Sub("backup");
  ASSERT_TRUE(BackupStore(*store_, backup).ok());

  // Private like the store.
  struct stat info;
  ASSERT_EQ(::stat(backup.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((backup + "/data.mdb").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  // Changes after the backup are not in it.
  ASSERT_TRUE(store_->DeleteToken("5").ok());
  auto copy = OpenOrDie(TestOptions(backup));
  ASSERT_NE(copy, nullptr);
  auto all = copy->GetTokens();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), tokens_.size());
  for (size_t i = 0; i < all->size(); ++i) {
    EXPECT_TRUE((*all)[i].SameFields(tokens_[i])) << i;
  }
  auto report = VerifyStore(*copy);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->clean());

  // A destination that holds something is refused.
  EXPECT_EQ(BackupStore(*store_, backup).code(), Code::kInvalidArgument);
}

TEST_F(StoreAdminTest, BackupsTakenWhileAnotherProcessWritesAreWhole) {
  // A child inserts 300 records, one commit each, while backups are made.
  int started[2];
  ASSERT_EQ(::pipe(started), 0);
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(started[0]);
    auto writer = Store::Open(TestOptions(dir_.Sub("store")));
    char byte = writer.ok() ? 'y' : 'n';
    (void)!::write(started[1], &byte, 1);
    for (int i = 0; writer.ok() && i < 300; ++i) {
      Token token = MakeToken(
          {{Field::kAccessToken, "concurrent-access-" + std::to_string(i)}});
      if (!(*writer)->SaveToken(token).ok()) ::_exit(1);
    }
    ::_exit(writer.ok() ? 0 : 1);
  }
  ::close(started[1]);
  char byte = 0;
  ASSERT_EQ(::read(started[0], &byte, 1), 1);
  ASSERT_EQ(byte, 'y');

  // Each copy opens, verifies clean, and holds a prefix of the inserts.
  for (int round = 0; round < 3; ++round) {
    const std::string backup = dir_.Sub("live" + std::to_string(round));
    ASSERT_TRUE(BackupStore(*store_, backup).ok());
    auto copy = OpenOrDie(TestOptions(backup));
    ASSERT_NE(copy, nullptr);
    auto report = VerifyStore(*copy);
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->clean()) << report->problems.front();
    EXPECT_GE(report->records_checked, 24u);
    EXPECT_LE(report->records_checked, 324u);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ::close(started[0]);
}

TEST_F(StoreAdminTest, RootKeyRotationChangesWhichKeyOpens) {
  auto new_key = crypto::SecretKey::FromBytes(std::string(32, 'n'));
  ASSERT_TRUE(new_key.ok());
  ASSERT_TRUE(RotateRootKey(*store_, *new_key).ok());
  EXPECT_TRUE(store_->FindTokenById("1").ok());
  store_.reset();

  auto old_open = Store::Open(TestOptions(dir_.Sub("store")));
  EXPECT_EQ(old_open.status().code(), Code::kWrongKey);
  auto reopened = OpenOrDie(TestOptions(dir_.Sub("store"), 'n'));
  ASSERT_NE(reopened, nullptr);
  auto first = reopened->FindTokenById("1");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->SameFields(tokens_[0]));
}

void ExpectAllFound(const Store& store, const std::vector<Token>& tokens) {
  for (const Token& token : tokens) {
    auto by_id = store.FindTokenById(token.id());
    ASSERT_TRUE(by_id.ok()) << token.id();
    EXPECT_TRUE(by_id->SameFields(token)) << token.id();
    if (!token.has(Field::kAccessToken)) continue;
    auto by_access = store.FindToken(MakeToken(
        {{Field::kAccessToken, std::string(token.view(Field::kAccessToken))}}));
    ASSERT_TRUE(by_access.ok());
    ASSERT_TRUE(by_access->has_value()) << token.id();
    EXPECT_EQ((*by_access)->id(), token.id());
  }
}

TEST_F(StoreAdminTest, DataKeyRotationSkipsADamagedRecordAndFinishes) {
  // Record "7" does not open: the rotation re-seals the others, forgets
  // the old key (nothing readable needs it), and verify names "7" only.
  using testing_hooks::Damage;
  ASSERT_TRUE(
      testing_hooks::DamageStore(*store_, Damage::kFlipRecordByte, "7").ok());
  auto resealed = RotateDataKey(*store_, *TestKey(), 5);
  ASSERT_TRUE(resealed.ok()) << resealed.status().ToString();
  EXPECT_EQ(*resealed, 23u);
  auto stats = store_->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->active_data_key_id, 2u);
  EXPECT_EQ(stats->data_key_count, 1u);
  std::vector<Token> intact;
  for (const Token& token : tokens_) {
    if (token.id() != "7") intact.push_back(token);
  }
  ExpectAllFound(*store_, intact);
  const VerifyReport report = Verify();
  ASSERT_EQ(report.corrupt_ids.size(), 1u);
  EXPECT_EQ(report.corrupt_ids[0], "7");
}

TEST_F(StoreAdminTest, DataKeyRotationResealsEveryRecord) {
  // Generations stay as they were: a re-seal is not a save.
  auto before = store_->FindTokenById("3");
  ASSERT_TRUE(before.ok());
  auto resealed = RotateDataKey(*store_, *TestKey(), 5);
  ASSERT_TRUE(resealed.ok()) << resealed.status().ToString();
  EXPECT_EQ(*resealed, 24u);
  auto stats = store_->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->active_data_key_id, 2u);
  ExpectAllFound(*store_, tokens_);
  EXPECT_TRUE(Verify().clean());
  auto after = store_->FindTokenById("3");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->generation(), before->generation());

  // The old key is gone from the stored keyring: a reopen reads all.
  store_.reset();
  store_ = OpenOrDie(TestOptions(dir_.Sub("store")));
  ASSERT_NE(store_, nullptr);
  ExpectAllFound(*store_, tokens_);
  auto again = RotateDataKey(*store_, *TestKey(), 1000);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 24u);
}

TEST_F(StoreAdminTest, RotationNeedsTheRootKey) {
  auto wrong = crypto::SecretKey::FromBytes(std::string(32, 'w'));
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(RotateDataKey(*store_, *wrong, 10).status().code(),
            Code::kWrongKey);
  EXPECT_EQ(RotateIndexKey(*store_, *wrong, 10).status().code(),
            Code::kWrongKey);
  auto stats = store_->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->active_data_key_id, 1u);
}

TEST_F(StoreAdminTest, IndexKeyRotationRebuildsTheIndexes) {
  auto stats_before = store_->GetStats();
  ASSERT_TRUE(stats_before.ok());
  ASSERT_TRUE(RotateIndexKey(*store_, *TestKey(), 10).ok());
  ExpectAllFound(*store_, tokens_);
  EXPECT_TRUE(Verify().clean());
  auto stats_after = store_->GetStats();
  ASSERT_TRUE(stats_after.ok());
  EXPECT_EQ(stats_after->user_index_entries, stats_before->user_index_entries);
  EXPECT_EQ(stats_after->grant_index_entries,
            stats_before->grant_index_entries);

  // The new key was stored with the rebuilt indexes.
  store_.reset();
  store_ = OpenOrDie(TestOptions(dir_.Sub("store")));
  ASSERT_NE(store_, nullptr);
  ExpectAllFound(*store_, tokens_);
  auto by_user = store_->FindToken(MakeToken(
      {{Field::kUserName, std::string(tokens_[0].view(Field::kUserName))}}));
  ASSERT_TRUE(by_user.ok());
  ASSERT_TRUE(by_user->has_value());
  EXPECT_EQ((*by_user)->id(), "1");
}

}  // namespace
}  // namespace tks::testing

// Index key rotation in bounded batches (RotateIndexKey): the store works
// on every find path between batches, from the rotating handle and from a
// handle that only reads; writes made while the key is pending are found
// after the switch; a rotation killed with SIGKILL leaves a working store
// and finishes when run again; VerifyStore checks the set being built.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "test_store.h"
#include "tokenstore/admin.h"
#include "tokenstore/admin_testing.h"

namespace tks::testing {
namespace {

constexpr int kRecords = 600;
constexpr size_t kBatch = 10;

Token NumberedToken(const std::string& prefix, int i) {
  const std::string n = std::to_string(i);
  return MakeToken({{Field::kUserName, prefix + "-user-" + n},
                    {Field::kAccessToken, prefix + "-A-" + n},
                    {Field::kRefreshToken, prefix + "-R-" + n},
                    {Field::kGrantToken, prefix + "-G-" + n},
                    {Field::kClientId, "client"},
                    {Field::kClientSecret, "secret"}});
}

// The id of the record `store` finds for `query`, "" for none, or the
// error.
std::string FoundId(const Store& store, const Token& query) {
  auto found = store.FindToken(query);
  if (!found.ok()) return "error: " + found.status().ToString();
  return found->has_value() ? std::string((*found)->id()) : "";
}

// "" when `token` (as saved) is found by user name, access, refresh and
// grant token, else what went wrong.
std::string CheckEveryPath(const Store& store, const Token& token) {
  const std::pair<Field, bool> paths[] = {{Field::kUserName, false},
                                          {Field::kAccessToken, false},
                                          {Field::kRefreshToken, true},
                                          {Field::kGrantToken, true}};
  for (const auto& [field, needs_client] : paths) {
    Token query;
    query.set(field, token.view(field));
    if (needs_client) {
      query.set(Field::kClientId, "client");
      query.set(Field::kClientSecret, "secret");
    }
    const std::string id = FoundId(store, query);
    if (id != token.id()) {
      return "by " + std::string(FieldName(field)) + " of record " +
             std::string(token.id()) + ": got '" + id + "'";
    }
  }
  return "";
}

class IndexRotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenOrDie(TestOptions(dir_.Sub("store")));
    ASSERT_NE(store_, nullptr);
    for (int i = 0; i < kRecords; ++i) {
      tokens_.push_back(NumberedToken("first", i));
    }
    ASSERT_TRUE(store_->SaveTokens(tokens_).ok());
  }

  // A child process starts an index key rotation in batches of 10 and is
  // killed with SIGKILL halfway.
  void KillRotationHalfway() {
    const pid_t child = ::fork();
    if (child == 0) {
      auto rotator = Store::Open(TestOptions(dir_.Sub("store")));
      if (!rotator.ok()) ::_exit(3);
      (void)RotateIndexKey(**rotator, kBatch, [](uint64_t done) {
        if (done >= kRecords / 2) ::kill(::getpid(), SIGKILL);
      });
      ::_exit(4);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  }

  bool Pending(const Store& store) {
    auto stats = store.GetStats();
    EXPECT_TRUE(stats.ok()) << stats.status().ToString();
    return stats.ok() && stats->index_key_change_pending;
  }

  void ExpectClean(const Store& store) {
    auto report = VerifyStore(store);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->clean()) << report->problems.front();
  }

  void ExpectEveryPath(const Store& store, const std::vector<Token>& tokens) {
    for (const Token& token : tokens) {
      ASSERT_EQ(CheckEveryPath(store, token), "");
    }
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::vector<Token> tokens_;
};

TEST_F(IndexRotationTest, EveryPathFindsBetweenBatchesAndAfter) {
  // Step 1: a handle that only reads, opened before the rotation, and a
  // user with two records (the first inserted one must win).
  auto reader = OpenOrDie(TestOptions(dir_.Sub("store")));
  ASSERT_NE(reader, nullptr);
  Token second_of_user = NumberedToken("again", 0);
  second_of_user.set(Field::kUserName, tokens_[7].view(Field::kUserName));
  ASSERT_TRUE(store_->InsertTokensWithIds({&second_of_user, 1}).ok());
  Token by_user;
  by_user.set(Field::kUserName, tokens_[7].view(Field::kUserName));

  // Step 2: between batches, both handles find on every path and the
  // rotating one saves new records, which the reader finds too.
  std::vector<Token> saved;
  std::string problem;
  int batches = 0;
  auto indexed = RotateIndexKey(*store_, kBatch, [&](uint64_t) {
    if (!problem.empty()) return;
    const Token& sample = tokens_[(batches * 37) % kRecords];
    Token fresh = NumberedToken("during", batches++);
    Status saved_status = store_->SaveToken(fresh);
    if (!saved_status.ok()) {
      problem = "save: " + saved_status.ToString();
      return;
    }
    saved.push_back(fresh);
    for (const Store* store : {store_.get(), reader.get()}) {
      problem += CheckEveryPath(*store, sample);
      problem += CheckEveryPath(*store, fresh);
      if (FoundId(*store, by_user) != tokens_[7].id()) {
        problem += "user rule broken for " + FoundId(*store, by_user);
      }
    }
  });
  ASSERT_TRUE(indexed.ok()) << indexed.status().ToString();
  EXPECT_EQ(problem, "");
  EXPECT_GE(*indexed, static_cast<uint64_t>(kRecords));
  EXPECT_GT(batches, kRecords / static_cast<int>(kBatch) - 1);

  // Step 3: after the switch both handles, neither reopened, find every
  // record on every path, the user rule holds, and the store is clean.
  EXPECT_FALSE(Pending(*store_));
  std::vector<Token> all = tokens_;
  all.insert(all.end(), saved.begin(), saved.end());
  ExpectEveryPath(*store_, all);
  ExpectEveryPath(*reader, all);
  EXPECT_EQ(FoundId(*reader, by_user), tokens_[7].id());
  ExpectClean(*store_);
  auto stats = store_->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->user_index_entries, stats->record_count);
  EXPECT_EQ(stats->access_index_entries, stats->record_count);
}

TEST_F(IndexRotationTest, KilledRotationLeavesAWorkingStoreAndFinishesAgain) {
  // Step 1: killed halfway, the key stays pending and the store is clean.
  KillRotationHalfway();
  EXPECT_TRUE(Pending(*store_));
  ExpectClean(*store_);

  // Step 2: writes while pending: an insert, an update of the access
  // token and user name, a delete.
  Token inserted = NumberedToken("pending", 0);
  ASSERT_TRUE(store_->SaveToken(inserted).ok());
  Token updated = tokens_[3];
  Token old_access;
  old_access.set(Field::kAccessToken, updated.view(Field::kAccessToken));
  updated.set(Field::kAccessToken, "changed-access");
  updated.set(Field::kUserName, "changed-user");
  ASSERT_TRUE(store_->SaveToken(updated).ok());
  ASSERT_TRUE(store_->DeleteToken(tokens_[4].id()).ok());
  Token deleted_access;
  deleted_access.set(Field::kAccessToken, tokens_[4].view(Field::kAccessToken));
  std::vector<Token> live = tokens_;
  live[3] = updated;
  live.erase(live.begin() + 4);
  live.push_back(inserted);
  ExpectEveryPath(*store_, live);
  ExpectClean(*store_);

  // Step 3: run again: it picks up the pending key and switches.
  auto indexed = RotateIndexKey(*store_, kBatch);
  ASSERT_TRUE(indexed.ok()) << indexed.status().ToString();
  EXPECT_EQ(*indexed, live.size());
  EXPECT_FALSE(Pending(*store_));
  ExpectEveryPath(*store_, live);
  EXPECT_EQ(FoundId(*store_, old_access), "");
  EXPECT_EQ(FoundId(*store_, deleted_access), "");
  ExpectClean(*store_);

  // Step 4: a fresh open finds everything too.
  store_.reset();
  store_ = OpenOrDie(TestOptions(dir_.Sub("store")));
  ASSERT_NE(store_, nullptr);
  ExpectEveryPath(*store_, live);
}

TEST_F(IndexRotationTest, VerifyChecksTheSetNotInUse) {
  // Step 1: no key pending: any entry in the other set is a problem; a
  // rotation starts by emptying that set.
  ASSERT_TRUE(testing_hooks::DamageStore(
                  *store_, testing_hooks::Damage::kAddOrphanToIdleIndexSet,
                  tokens_[1].id(), Field::kAccessToken)
                  .ok());
  auto report = VerifyStore(*store_);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problem_count, 1u);
  EXPECT_NE(report->problems[0].find("not in use"), std::string::npos)
      << report->problems[0];
  ASSERT_TRUE(RotateIndexKey(*store_, 100).ok());
  ExpectClean(*store_);

  // Step 2: key pending: a wrong entry in the set being built is named;
  // running the rotation again builds that set from the start.
  KillRotationHalfway();
  ASSERT_TRUE(Pending(*store_));
  ASSERT_TRUE(testing_hooks::DamageStore(
                  *store_, testing_hooks::Damage::kAddOrphanToIdleIndexSet,
                  tokens_[2].id(), Field::kUserName)
                  .ok());
  report = VerifyStore(*store_);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problem_count, 1u);
  EXPECT_NE(report->problems[0].find("pending index key"), std::string::npos)
      << report->problems[0];
  ASSERT_TRUE(RotateIndexKey(*store_, 100).ok());
  ExpectClean(*store_);
  ExpectEveryPath(*store_, tokens_);
}

TEST_F(IndexRotationTest, ARotationStartedAgainStopsTheEarlierOne) {
  // Step 1: while this rotation runs, another process starts one too (and
  // is killed): this one stops with CONFLICT at its next batch.
  bool restarted = false;
  auto first = RotateIndexKey(*store_, kBatch, [&](uint64_t done) {
    if (restarted || done < kBatch * 3) return;
    restarted = true;
    KillRotationHalfway();
  });
  ASSERT_TRUE(restarted);
  EXPECT_EQ(first.status().code(), Code::kConflict);
  EXPECT_TRUE(Pending(*store_));
  ExpectEveryPath(*store_, tokens_);
  ExpectClean(*store_);

  // Step 2: run once more, it finishes.
  auto again = RotateIndexKey(*store_, kBatch);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(Pending(*store_));
  ExpectEveryPath(*store_, tokens_);
  ExpectClean(*store_);
}

TEST_F(IndexRotationTest, BatchesSavedWhilePendingAreFoundAfterTheSwitch) {
  // Batches saved between the rotation's batches (one by upserts, one by
  // the importers' bulk insert), the last ones after its final batch:
  // only the writers' own entries under the pending key make those
  // findable after the switch.
  std::vector<Token> saved;
  Status problem;
  int round = 0;
  auto indexed = RotateIndexKey(*store_, kBatch * 10, [&](uint64_t) {
    std::vector<Token> upserts;
    std::vector<Token> inserts;
    for (int i = 0; i < 3; ++i) {
      upserts.push_back(NumberedToken("up" + std::to_string(round), i));
      inserts.push_back(NumberedToken("in" + std::to_string(round), i));
    }
    ++round;
    Status status = store_->SaveTokens(upserts);
    if (status.ok()) status = store_->InsertTokensWithIds(inserts);
    if (!status.ok()) problem = status;
    saved.insert(saved.end(), upserts.begin(), upserts.end());
    saved.insert(saved.end(), inserts.begin(), inserts.end());
  });
  ASSERT_TRUE(indexed.ok()) << indexed.status().ToString();
  ASSERT_TRUE(problem.ok()) << problem.ToString();
  ExpectEveryPath(*store_, saved);
  ExpectEveryPath(*store_, tokens_);
  ExpectClean(*store_);
}

TEST_F(IndexRotationTest, ADamagedRecordIsSkippedAndTheRotationFinishes) {
  // One record does not open: the rotation still switches (an unfinished
  // one would stay pending for good), and verify names that record only.
  ASSERT_TRUE(testing_hooks::DamageStore(*store_,
                                         testing_hooks::Damage::kFlipRecordByte,
                                         tokens_[9].id())
                  .ok());
  auto indexed = RotateIndexKey(*store_, kBatch);
  ASSERT_TRUE(indexed.ok()) << indexed.status().ToString();
  EXPECT_EQ(*indexed, static_cast<uint64_t>(kRecords - 1));
  EXPECT_FALSE(Pending(*store_));
  std::vector<Token> intact = tokens_;
  intact.erase(intact.begin() + 9);
  ExpectEveryPath(*store_, intact);
  auto report = VerifyStore(*store_);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->corrupt_ids.size(), 1u);
  EXPECT_EQ(report->corrupt_ids[0], tokens_[9].id());
}

TEST_F(IndexRotationTest, ZeroBatchIsRefused) {
  EXPECT_EQ(RotateIndexKey(*store_, 0).status().code(), Code::kInvalidArgument);
  EXPECT_FALSE(Pending(*store_));
}

}  // namespace
}  // namespace tks::testing

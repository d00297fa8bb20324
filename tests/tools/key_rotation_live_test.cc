// Data and index key rotation while other handles keep using the store:
// a second Store object in this process, and a second process, save and
// find throughout with no error and no lost record, without reopening;
// a data key rotation killed with SIGKILL is finished by running it again.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "test_store.h"
#include "tokenstore/admin.h"

namespace tks::testing {
namespace {

constexpr int kInitialRecords = 2000;
// Bounds every writer loop, whatever the rotations' speed.
constexpr int kMaxWriterRounds = 3000;

Token NumberedToken(const std::string& prefix, int i) {
  return MakeToken({{Field::kUserName, prefix + "-user-" + std::to_string(i)},
                    {Field::kAccessToken, prefix + "-A-" + std::to_string(i)},
                    {Field::kRefreshToken, prefix + "-R-" + std::to_string(i)},
                    {Field::kClientId, "client"},
                    {Field::kClientSecret, "secret"}});
}

// "" when `token` (as saved) is found by id, user name and access token
// in `store`, else what went wrong.
std::string CheckFound(const Store& store, const Token& token) {
  auto by_id = store.FindTokenById(token.id());
  if (!by_id.ok()) return "by id " + by_id.status().ToString();
  const Field fields[] = {Field::kUserName, Field::kAccessToken};
  for (Field field : fields) {
    Token query;
    query.set(field, token.view(field));
    auto found = store.FindToken(query);
    if (!found.ok()) return "find " + found.status().ToString();
    if (!found->has_value() || (*found)->id() != token.id()) {
      return "find missed record id " + std::string(token.id());
    }
  }
  return "";
}

// Saves new tokens and finds old and new ones until `stop` (or the round
// bound); returns the first problem, or "" and the saved tokens.
std::string SaveAndFind(Store& store, const std::vector<Token>& existing,
                        const std::string& prefix,
                        const std::atomic<bool>& stop,
                        std::vector<Token>* saved) {
  for (int round = 0; round < kMaxWriterRounds && !stop.load(); ++round) {
    Token token = NumberedToken(prefix, round);
    Status status = store.SaveToken(token);
    if (!status.ok()) return "save " + status.ToString();
    saved->push_back(token);
    std::string problem = CheckFound(store, token);
    if (problem.empty()) {
      problem = CheckFound(store, existing[round % existing.size()]);
    }
    if (!problem.empty()) return problem;
  }
  return "";
}

class KeyRotationLiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenOrDie(TestOptions(dir_.Sub("store")));
    ASSERT_NE(store_, nullptr);
    for (int i = 0; i < kInitialRecords; ++i) {
      tokens_.push_back(NumberedToken("first", i));
    }
    ASSERT_TRUE(store_->SaveTokens(tokens_).ok());
  }

  // Every rotation, with small batches so that the other handle's writes
  // fall between them.
  void RotateAll() {
    auto data = RotateDataKey(*store_, 7);
    ASSERT_TRUE(data.ok()) << data.status().ToString();
    ASSERT_TRUE(RotateIndexKey(*store_, 100).ok());
    auto again = RotateDataKey(*store_, 50);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
  }

  void ExpectCleanAndFound(const Store& store,
                           const std::vector<Token>& tokens) {
    for (const Token& token : tokens) {
      ASSERT_EQ(CheckFound(store, token), "") << token.id();
    }
    auto report = VerifyStore(store);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->clean()) << report->problems.front();
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::vector<Token> tokens_;
};

TEST_F(KeyRotationLiveTest, SecondHandleKeepsWorkingWithoutReopen) {
  // Step 1: a second Store object on the same store, busy in a thread.
  auto other = OpenOrDie(TestOptions(dir_.Sub("store")));
  ASSERT_NE(other, nullptr);
  std::atomic<bool> stop{false};
  std::vector<Token> saved;
  std::string problem;
  std::thread writer(
      [&] { problem = SaveAndFind(*other, tokens_, "second", stop, &saved); });

  // Step 2: rotations meanwhile, with another thread of the rotating
  // handle saving and finding too (its keys change under it).
  std::vector<Token> saved_here;
  std::string problem_here;
  std::thread same_handle([&] {
    problem_here = SaveAndFind(*store_, tokens_, "same", stop, &saved_here);
  });
  RotateAll();
  stop.store(true);
  writer.join();
  same_handle.join();
  EXPECT_EQ(problem, "");
  EXPECT_EQ(problem_here, "");
  EXPECT_FALSE(saved.empty());
  saved.insert(saved.end(), saved_here.begin(), saved_here.end());

  // Step 3: both handles, never reopened, find everything; and the other
  // handle's writes after the rotation use the new keys.
  std::vector<Token> all = tokens_;
  all.insert(all.end(), saved.begin(), saved.end());
  Token late = NumberedToken("late", 0);
  ASSERT_TRUE(other->SaveToken(late).ok());
  all.push_back(late);
  ExpectCleanAndFound(*other, all);
  ExpectCleanAndFound(*store_, all);
  auto stats = other->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->active_data_key_id, 3u);
}

TEST_F(KeyRotationLiveTest, ReadOnlyHandleFindsAfterEachRotation) {
  // A handle that only reads learns of new keys from what it reads: a
  // record under an unknown data key, a find that misses.
  auto reader = OpenOrDie(TestOptions(dir_.Sub("store")));
  ASSERT_NE(reader, nullptr);
  ASSERT_EQ(CheckFound(*reader, tokens_[0]), "");
  auto data = RotateDataKey(*store_, 100);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  ASSERT_EQ(CheckFound(*reader, tokens_[1]), "");
  ASSERT_TRUE(RotateIndexKey(*store_, 100).ok());
  ASSERT_EQ(CheckFound(*reader, tokens_[2]), "");
  ASSERT_TRUE(RotateDataKey(*store_, 100).ok());
  ExpectCleanAndFound(*reader, tokens_);
  auto all = reader->GetTokens();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->size(), tokens_.size());
  auto stats = reader->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->active_data_key_id, 3u);
}

TEST_F(KeyRotationLiveTest, StatsOfAnIdleHandleNameTheNewDataKey) {
  auto idle = OpenOrDie(TestOptions(dir_.Sub("store")));
  ASSERT_NE(idle, nullptr);
  ASSERT_TRUE(RotateDataKey(*store_, 500).ok());
  auto stats = idle->GetStats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->active_data_key_id, 2u);
}

TEST_F(KeyRotationLiveTest, AfterRootRotationOtherHandlesMustReopen) {
  // Step 1: a handle opened with the old root key; the root key changes.
  auto old_root = OpenOrDie(TestOptions(dir_.Sub("store")));
  ASSERT_NE(old_root, nullptr);
  ASSERT_TRUE(RotateRootKey(*store_, *TestKey('n')).ok());

  // Step 2: the rotating handle holds the new root key: it rotates the
  // data key and keeps working.
  auto data = RotateDataKey(*store_, 100);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  ASSERT_EQ(CheckFound(*store_, tokens_[5]), "");

  // Step 3: the old handle cannot load the new keyring: WRONG_KEY, never
  // a wrong result; reopened with the new key it finds everything.
  Token late = NumberedToken("late", 1);
  EXPECT_EQ(old_root->SaveToken(late).code(), Code::kWrongKey);
  old_root.reset();
  auto reopened = OpenOrDie(TestOptions(dir_.Sub("store"), 'n'));
  ASSERT_NE(reopened, nullptr);
  ExpectCleanAndFound(*reopened, tokens_);
}

TEST_F(KeyRotationLiveTest, SecondProcessKeepsWorkingWithoutReopen) {
  // Step 1: a child process opens the store and works until told to stop
  // (a byte on `stop_pipe`), then reports on `report_pipe`.
  int stop_pipe[2];
  int report_pipe[2];
  ASSERT_EQ(::pipe(stop_pipe), 0);
  ASSERT_EQ(::pipe(report_pipe), 0);
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(stop_pipe[1]);
    ::close(report_pipe[0]);
    auto other = Store::Open(TestOptions(dir_.Sub("store")));
    std::string report = other.ok() ? "" : other.status().ToString();
    std::atomic<bool> stop{false};
    std::thread watch([&] {
      char byte = 0;
      (void)!::read(stop_pipe[0], &byte, 1);
      stop.store(true);
    });
    std::vector<Token> saved;
    if (report.empty()) {
      report = SaveAndFind(**other, tokens_, "child", stop, &saved);
    }
    watch.join();
    if (report.empty()) {
      for (const Token& token : saved) report += CheckFound(**other, token);
    }
    report = (report.empty() ? "ok " + std::to_string(saved.size()) : report);
    (void)!::write(report_pipe[1], report.data(), report.size());
    ::_exit(0);
  }
  ::close(stop_pipe[0]);
  ::close(report_pipe[1]);

  // Step 2: the rotations, once the child has saved something.
  for (int wait = 0; wait < 500; ++wait) {
    auto stats = store_->GetStats();
    ASSERT_TRUE(stats.ok());
    if (stats->record_count > static_cast<uint64_t>(kInitialRecords)) break;
    ::usleep(10 * 1000);
  }
  RotateAll();
  ASSERT_EQ(::write(stop_pipe[1], "x", 1), 1);
  ::close(stop_pipe[1]);

  // Step 3: the child saw no error and found all it saved after the
  // rotations, without reopening.
  std::string report;
  char buffer[512];
  ssize_t got = 0;
  while ((got = ::read(report_pipe[0], buffer, sizeof buffer)) > 0) {
    report.append(buffer, static_cast<size_t>(got));
  }
  ::close(report_pipe[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(report.rfind("ok ", 0), 0u) << report;
  EXPECT_NE(report, "ok 0");

  // Step 4: this handle finds every record the child saved.
  auto all = store_->GetTokens();
  ASSERT_TRUE(all.ok());
  EXPECT_GT(all->size(), static_cast<size_t>(kInitialRecords));
  ExpectCleanAndFound(*store_, *all);
}

TEST_F(KeyRotationLiveTest, KilledDataRotationFinishesWhenRunAgain) {
  // Step 1: a child starts a rotation in batches of 10 and is killed with
  // SIGKILL after 100 records.
  const pid_t child = ::fork();
  if (child == 0) {
    auto rotator = Store::Open(TestOptions(dir_.Sub("store")));
    if (!rotator.ok()) ::_exit(3);
    (void)RotateDataKey(**rotator, 10, [](uint64_t done) {
      if (done >= 100) ::kill(::getpid(), SIGKILL);
    });
    ::_exit(4);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  // Step 2: halfway, the store is usable from this (older) handle: it
  // reads records under both keys and saves under the new one.
  Token between = NumberedToken("between", 0);
  ASSERT_TRUE(store_->SaveToken(between).ok());
  tokens_.push_back(between);
  ExpectCleanAndFound(*store_, tokens_);
  auto halfway = store_->GetStats();
  ASSERT_TRUE(halfway.ok());
  EXPECT_EQ(halfway->active_data_key_id, 2u);

  // Step 3: run again: it goes on with key 2, re-sealing only the rest.
  auto resealed = RotateDataKey(*store_, 10);
  ASSERT_TRUE(resealed.ok()) << resealed.status().ToString();
  EXPECT_GT(*resealed, 0u);
  EXPECT_LT(*resealed, static_cast<uint64_t>(kInitialRecords));
  auto stats = store_->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->active_data_key_id, 2u);
  ExpectCleanAndFound(*store_, tokens_);

  // Step 4: a fresh open (keyring without the old key) reads everything.
  store_.reset();
  store_ = OpenOrDie(TestOptions(dir_.Sub("store")));
  ASSERT_NE(store_, nullptr);
  ExpectCleanAndFound(*store_, tokens_);
}

}  // namespace
}  // namespace tks::testing

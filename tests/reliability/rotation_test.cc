// Key rotation on a store in use (DESIGN §5, issue #4): helper processes
// (fresh exec) keep inserting, updating, finding and deleting while this
// process rotates the data and index keys again and again. No helper sees
// an error or a torn record, no acknowledged insert is lost, and handles
// opened before the rotations find everything without a reopen.
#include <atomic>
#include <map>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "child_process.h"
#include "consistency_check.h"
#include "reliability_support.h"
#include "tokenstore/admin.h"

namespace tks::reliability {
namespace {

constexpr auto kLineTimeout = std::chrono::seconds(60);
constexpr int kMaxRotationRounds = 50;

// The record the crash helper inserted as `seq`, with its id.
Token InsertedRecord(uint64_t seq, const std::string& id) {
  const std::string n = std::to_string(seq);
  Token token;
  token.set(Field::kId, id);
  token.set(Field::kUserName, "crash-user-" + n);
  token.set(Field::kAccessToken, "at-" + n);
  token.set(Field::kGrantToken, "gt-" + n);
  token.set(Field::kRefreshToken, "rt-" + n);
  return token;
}

TEST(RotationTest, ProcessesKeepWorkingThroughRotationsWithoutReopen) {
  // Step 1: the rotating handle and an observer, both opened before.
  SetChildKey();
  testing::TempDir dir;
  const std::string path = dir.Sub("store");
  auto store = testing::OpenOrDie(DurableOptions(path));
  ASSERT_NE(store, nullptr);
  auto observer = testing::OpenOrDie(DurableOptions(path));
  ASSERT_NE(observer, nullptr);

  // Step 2: two inserting helpers and two mixed ones (four threads each).
  const int inserts = LongMode() ? 3000 : 300;
  const int ops = LongMode() ? 5000 : 500;
  std::vector<std::unique_ptr<ChildProcess>> inserters;
  std::vector<std::unique_ptr<ChildProcess>> mixers;
  for (int p = 0; p < 2; ++p) {
    inserters.push_back(std::make_unique<ChildProcess>(std::vector<std::string>{
        "crash", path, std::to_string(p * 100000), std::to_string(inserts)}));
    mixers.push_back(std::make_unique<ChildProcess>(std::vector<std::string>{
        "mixed", path, std::to_string(p), std::to_string(ops), "24"}));
    ASSERT_TRUE(inserters.back()->started());
    ASSERT_TRUE(mixers.back()->started());
  }

  // Step 3: rotations in a thread until the helpers are done (at least
  // one round of data key, index key).
  std::atomic<bool> stop{false};
  std::atomic<int> rounds{0};
  std::string failure;
  std::thread rotator([&] {
    do {
      auto data = RotateDataKey(*store, 5);
      Status index =
          data.ok() ? RotateIndexKey(*store, 5).status() : data.status();
      if (!index.ok()) {
        failure = index.ToString();
        return;
      }
      ++rounds;
    } while (!stop.load() && rounds.load() < kMaxRotationRounds);
  });

  // Step 4: every helper ends cleanly; note the acknowledged inserts.
  std::map<std::string, uint64_t> acked;
  for (auto& child : inserters) {
    for (const std::string& line : child->acks().Drain()) {
      std::istringstream fields(line);
      std::string kind;
      uint64_t seq = 0;
      std::string id;
      fields >> kind >> seq >> id;
      if (kind == "I") acked[id] = seq;
    }
    EXPECT_EQ(child->Wait(), 0) << "an inserting helper failed";
  }
  for (auto& child : mixers) {
    for (;;) {
      auto line = child->acks().Next(kLineTimeout);
      ASSERT_TRUE(line.has_value()) << "helper stopped reporting";
      if (*line == "X") break;
      if ((*line)[0] != 'T') continue;
      std::istringstream fields(line->substr(1));
      int torn = -1;
      int errors = -1;
      fields >> torn >> errors;
      EXPECT_EQ(torn, 0) << "torn records read";
      EXPECT_EQ(errors, 0) << "calls failed in a helper";
    }
    EXPECT_EQ(child->Wait(), 0);
  }
  stop.store(true);
  rotator.join();
  EXPECT_EQ(failure, "");
  EXPECT_GE(rounds.load(), 1);
  EXPECT_EQ(acked.size(), static_cast<size_t>(2 * inserts));
  Figure("rotation_rounds_during_helpers", rounds.load());

  // Step 5: both old handles find every acknowledged insert by every
  // path; the store is consistent and verifies clean.
  for (const Store* handle : {store.get(), observer.get()}) {
    for (const auto& [id, seq] : acked) {
      ExpectFoundByEveryPath(*handle, InsertedRecord(seq, id));
    }
    const ConsistencyReport report = CheckConsistency(*handle);
    EXPECT_TRUE(report.clean()) << report.Summary();
    auto verified = VerifyStore(*handle);
    ASSERT_TRUE(verified.ok()) << verified.status().ToString();
    EXPECT_TRUE(verified->clean()) << verified->problems.front();
  }
}

}  // namespace
}  // namespace tks::reliability

// Promise 5 (DESIGN §8.4, §8.5, issue #6): a delete is durable once it
// returns. A helper deletes records and acknowledges each; it is killed
// right after an acknowledgement. After a restart the deleted records are
// gone from every find path, a late save of a stale copy is refused with
// NOT_FOUND, and no index entry points to a missing record.
#include <random>
#include <vector>

#include "child_process.h"
#include "consistency_check.h"
#include "reliability_support.h"

namespace tks::reliability {
namespace {

Token Record(int cycle, int n) {
  const std::string tag = std::to_string(cycle) + "-" + std::to_string(n);
  return testing::MakeToken({{Field::kUserName, "del-user-" + tag},
                             {Field::kClientId, "1000.CLIENT"},
                             {Field::kClientSecret, "secret"},
                             {Field::kRefreshToken, "rt-" + tag},
                             {Field::kAccessToken, "at-" + tag},
                             {Field::kGrantToken, "gt-" + tag},
                             {Field::kExpiryTime, "1700000000000"}});
}

TEST(DeleteWinsTest, AcknowledgedDeletesSurviveSigkill) {
  SetChildKey();
  testing::TempDir dir;
  const std::string path = dir.Sub("store");
  const int cycles = LongMode() ? 200 : 25;
  constexpr int kPerCycle = 12;
  std::mt19937 rng(6);
  uint64_t deletes_acked = 0;
  uint64_t stale_saves_refused = 0;

  for (int cycle = 0; cycle < cycles; ++cycle) {
    // Step 1: records to delete, saved durably.
    std::vector<Token> records;
    {
      auto store = testing::OpenOrDie(DurableOptions(path));
      ASSERT_NE(store, nullptr);
      for (int n = 0; n < kPerCycle; ++n) {
        records.push_back(Record(cycle, n));
        ASSERT_TRUE(store->SaveToken(records.back()).ok());
      }
    }

    // Step 2: a helper deletes them in order; kill it right after the
    // k-th acknowledgement.
    const int kill_after = 1 + static_cast<int>(rng() % kPerCycle);
    int acked = 0;
    {
      std::vector<std::string> args = {"delete", path};
      for (const Token& record : records) args.emplace_back(record.id());
      ChildProcess child(args);
      ASSERT_TRUE(child.started());
      while (acked < kill_after) {
        auto line = child.acks().Next(std::chrono::seconds(30));
        ASSERT_TRUE(line.has_value()) << "helper stopped acknowledging";
        ++acked;
      }
      child.Kill();
      acked += static_cast<int>(child.acks().Drain().size());
    }
    deletes_acked += static_cast<uint64_t>(acked);

    // Step 3: after restart: acknowledged deletes are gone everywhere and
    // a stale copy cannot come back; the rest is intact or deleted whole.
    auto store = testing::OpenOrDie(DurableOptions(path));
    ASSERT_NE(store, nullptr);
    for (int n = 0; n < kPerCycle; ++n) {
      if (n < acked) {
        ExpectGoneFromEveryPath(*store, records[n]);
        Token stale = records[n];
        const Status late = store->SaveToken(stale);
        EXPECT_EQ(late.code(), Code::kNotFound) << late.ToString();
        stale_saves_refused += late.code() == Code::kNotFound;
        ExpectGoneFromEveryPath(*store, records[n]);
      } else if (store->FindTokenById(records[n].id()).ok()) {
        ExpectFoundByEveryPath(*store, records[n]);
      }
    }
    const ConsistencyReport report = CheckConsistency(*store);
    ASSERT_TRUE(report.clean()) << report.Summary();
    if (HasFailure()) return;
  }
  Figure("delete_kill_cycles", static_cast<uint64_t>(cycles));
  Figure("deletes_acknowledged", deletes_acked);
  Figure("stale_saves_refused", stale_saves_refused);
}

// The same promise within one process: a stale copy saved with
// SaveTokenIf or in a batch is refused too.
TEST(DeleteWinsTest, StaleCopyRefusedByEverySaveCall) {
  testing::TempDir dir;
  auto store = testing::OpenOrDie(DurableOptions(dir.Sub("store")));
  ASSERT_NE(store, nullptr);
  Token record = Record(0, 0);
  ASSERT_TRUE(store->SaveToken(record).ok());
  const Token stale = record;
  ASSERT_TRUE(store->DeleteToken(record.id()).ok());

  Token copy = stale;
  EXPECT_EQ(store->SaveTokenIf(copy, stale.generation()).code(),
            Code::kNotFound);
  std::vector<Token> batch = {stale};
  EXPECT_EQ(store->SaveTokens(batch).code(), Code::kNotFound);
  ExpectGoneFromEveryPath(*store, stale);
  EXPECT_TRUE(CheckConsistency(*store).clean());
}

}  // namespace
}  // namespace tks::reliability

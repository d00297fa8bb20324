// Promises 3 and 4 (DESIGN §6, §8.1, §8.8, issue #6): several processes
// (fresh exec) with several threads each save, find and delete
// overlapping records: ids stay unique, readers never see a record whose
// fields come from two saves, and the final state is consistent with one
// record per user at most (every save is an upsert by user name). The
// refresh race: with save_token_if exactly one of eight processes wins a
// round; with the refresh lease exactly one calls the token endpoint.
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <vector>

#include "child_process.h"
#include "consistency_check.h"
#include "reliability_support.h"

namespace tks::reliability {
namespace {

constexpr auto kLineTimeout = std::chrono::seconds(60);

TEST(ConcurrencyTest, ProcessesAndThreadsKeepIdsUniqueAndRecordsWhole) {
  // Step 1: four helpers of four threads on 24 shared user names.
  SetChildKey();
  testing::TempDir dir;
  const std::string path = dir.Sub("store");
  ASSERT_NE(testing::OpenOrDie(DurableOptions(path)), nullptr);
  const int processes = 4;
  const int ops = LongMode() ? 10000 : 1000;
  std::vector<std::unique_ptr<ChildProcess>> children;
  for (int p = 0; p < processes; ++p) {
    children.push_back(std::make_unique<ChildProcess>(std::vector<std::string>{
        "mixed", path, std::to_string(p), std::to_string(ops), "24"}));
    ASSERT_TRUE(children.back()->started());
  }

  // Step 2: every insert's id is new; no torn read, no error.
  std::set<std::string> ids;
  uint64_t inserts = 0;
  for (auto& child : children) {
    for (;;) {
      auto line = child->acks().Next(kLineTimeout);
      ASSERT_TRUE(line.has_value()) << "helper stopped reporting";
      if (*line == "X") break;
      std::istringstream fields(*line);
      std::string kind;
      fields >> kind;
      if (kind == "I") {
        std::string id;
        fields >> id;
        EXPECT_TRUE(ids.insert(id).second) << "id " << id << " given twice";
        ++inserts;
      } else {
        int torn = -1;
        int errors = -1;
        fields >> torn >> errors;
        EXPECT_EQ(torn, 0) << "torn records read";
        EXPECT_EQ(errors, 0) << "calls failed in a helper";
      }
    }
    EXPECT_EQ(child->Wait(), 0);
  }

  // Step 3: the final state: consistent, at most one record per user,
  // every record whole.
  auto store = testing::OpenOrDie(DurableOptions(path));
  ASSERT_NE(store, nullptr);
  const ConsistencyReport report = CheckConsistency(*store);
  EXPECT_TRUE(report.clean()) << report.Summary();
  auto all = store->GetTokens();
  ASSERT_TRUE(all.ok());
  std::set<std::string> users;
  for (const Token& token : all.value()) {
    EXPECT_TRUE(users.insert(std::string(token.view(Field::kUserName))).second)
        << "two records for one user";
    const std::string stamp(token.view(Field::kApiDomain));
    EXPECT_EQ(token.view(Field::kAccessToken), "at-" + stamp);
    EXPECT_EQ(token.view(Field::kRefreshToken), "rt-" + stamp);
    EXPECT_TRUE(ids.count(std::string(token.id()))) << "unknown id";
  }
  Figure("concurrency_processes", processes);
  Figure("concurrency_inserts", inserts);
  Figure("concurrency_ops", static_cast<uint64_t>(processes) * 4 * ops);
}

// A store holding one expired token that eight helpers will refresh.
class RefreshRaceTest : public ::testing::Test {
 protected:
  static constexpr int kProcesses = 8;

  void SetUp() override {
    SetChildKey();
    path_ = dir_.Sub("store");
    auto store = testing::OpenOrDie(DurableOptions(path_));
    ASSERT_NE(store, nullptr);
    Token token = testing::MakeToken({{Field::kUserName, "racer"},
                                      {Field::kRefreshToken, "rt-initial"},
                                      {Field::kExpiryTime, "1"}});
    ASSERT_TRUE(store->SaveToken(token).ok());
    id_ = std::string(token.id());
  }

  void Start(const std::string& mode, const std::string& extra = "") {
    for (int p = 0; p < kProcesses; ++p) {
      std::vector<std::string> args = {mode, path_, id_,
                                       "p" + std::to_string(p)};
      if (!extra.empty()) args.push_back(extra);
      children_.push_back(std::make_unique<ChildProcess>(args));
      ASSERT_TRUE(children_.back()->started());
    }
  }

  // One round: everyone reads the expired token, then everyone goes.
  // Returns each helper's answer.
  std::vector<std::string> Round() {
    std::vector<std::string> answers;
    for (auto& child : children_) child->Send("read");
    for (auto& child : children_) {
      auto ready = child->out().Next(kLineTimeout);
      EXPECT_EQ(ready.value_or("(none)"), "ready");
    }
    for (auto& child : children_) child->Send("go");
    for (auto& child : children_) {
      answers.push_back(child->out().Next(kLineTimeout).value_or("(none)"));
    }
    return answers;
  }

  void Finish() {
    for (auto& child : children_) child->CloseInput();
    for (auto& child : children_) EXPECT_EQ(child->Wait(), 0);
  }

  std::string Stored() {
    auto store = testing::OpenOrDie(DurableOptions(path_));
    auto token = store->FindTokenById(id_);
    return token.ok() ? std::string(token->view(Field::kRefreshToken)) : "";
  }

  testing::TempDir dir_;
  std::string path_;
  std::string id_;
  std::vector<std::unique_ptr<ChildProcess>> children_;
};

TEST_F(RefreshRaceTest, SaveTokenIfHasExactlyOneWinnerPerRound) {
  Start("race");
  const int rounds = LongMode() ? 1000 : 100;
  for (int round = 0; round < rounds; ++round) {
    // Exactly one W; every loser re-read the winner's refresh token.
    const std::vector<std::string> answers = Round();
    std::string winner;
    int wins = 0;
    for (const std::string& answer : answers) {
      if (answer.rfind("W ", 0) == 0) {
        ++wins;
        winner = answer.substr(2);
      }
    }
    ASSERT_EQ(wins, 1) << "round " << round;
    for (const std::string& answer : answers) {
      if (answer[0] == 'L') {
        EXPECT_EQ(answer.substr(2), winner);
      }
    }
    EXPECT_EQ(Stored(), winner);
  }
  Finish();
  Figure("cas_race_rounds", static_cast<uint64_t>(rounds));
}

TEST_F(RefreshRaceTest, LeaseLetsExactlyOneProcessCallTheEndpoint) {
  const std::string endpoint = dir_.Sub("endpoint.log");
  Start("lease", endpoint);
  const int rounds = LongMode() ? 1000 : 100;
  for (int round = 0; round < rounds; ++round) {
    // Everyone ends with the same new refresh token.
    const std::vector<std::string> answers = Round();
    for (const std::string& answer : answers) {
      EXPECT_EQ(answer, answers[0]) << "round " << round;
    }
    EXPECT_EQ("R " + Stored(), answers[0]);
  }
  Finish();

  // One endpoint call per round, no more.
  std::ifstream calls(endpoint);
  std::map<int, int> per_round;
  int round = 0;
  std::string holder;
  while (calls >> round >> holder) per_round[round]++;
  EXPECT_EQ(per_round.size(), static_cast<size_t>(rounds));
  for (const auto& [r, count] : per_round) {
    EXPECT_EQ(count, 1) << "round " << r;
  }
  Figure("lease_race_rounds", static_cast<uint64_t>(rounds));
}

}  // namespace
}  // namespace tks::reliability

// Durability::kFull flushes each group's commit after the group leaves the
// write queue (issue #5); what every writer was told is saved must be
// there after a reopen.
#include <thread>
#include <vector>

#include "test_store.h"

namespace tks {
namespace {

using testing::MakeToken;
using testing::OpenOrDie;
using testing::TempDir;
using testing::TestOptions;

TEST(GroupSyncTest, EverySaveReportedDurableIsThereAfterReopen) {
  TempDir dir;
  Options options = TestOptions(dir.Sub("store"));
  options.durability = Durability::kFull;
  constexpr int kThreads = 16;
  constexpr int kEach = 10;
  std::vector<std::vector<std::string>> ids(kThreads);
  {
    auto store = OpenOrDie(options);
    ASSERT_NE(store, nullptr);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          Token token =
              MakeToken({{Field::kRefreshToken,
                          "r" + std::to_string(t) + "-" + std::to_string(i)}});
          ASSERT_TRUE(store->SaveToken(token).ok());
          ids[t].emplace_back(token.id());
        }
      });
    }
    for (auto& thread : threads) thread.join();
  }

  auto reopened = OpenOrDie(options);
  ASSERT_NE(reopened, nullptr);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      auto found = reopened->FindTokenById(ids[t][i]);
      ASSERT_TRUE(found.ok()) << found.status().ToString();
      EXPECT_EQ(found->view(Field::kRefreshToken),
                "r" + std::to_string(t) + "-" + std::to_string(i));
    }
  }
}

TEST(GroupSyncTest, OneWriterAfterAnotherKeepsOrderAndGenerations) {
  TempDir dir;
  Options options = TestOptions(dir.Sub("store"));
  options.durability = Durability::kFull;
  auto store = OpenOrDie(options);
  ASSERT_NE(store, nullptr);
  Token token = MakeToken({{Field::kAccessToken, "a0"}});
  ASSERT_TRUE(store->SaveToken(token).ok());
  for (int i = 1; i <= 5; ++i) {
    token.set(Field::kAccessToken, "a" + std::to_string(i));
    ASSERT_TRUE(store->SaveToken(token).ok());
  }
  auto found = store->FindTokenById(token.id());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->generation(), 6u);
  EXPECT_EQ(found->view(Field::kAccessToken), "a5");
}

}  // namespace
}  // namespace tks

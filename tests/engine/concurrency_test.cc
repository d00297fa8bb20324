// Many threads on one handle: group-committed saves each get their own
// result; readers run beside writers.
#include <atomic>
#include <set>
#include <thread>

#include "test_store.h"

namespace tks {
namespace {

using testing::MakeToken;
using testing::OpenOrDie;
using testing::TempDir;
using testing::TestOptions;

TEST(ConcurrencyTest, ConcurrentSaversGetUniqueIdsAndOwnErrors) {
  TempDir dir;
  Options options = TestOptions(dir.Sub("store"));
  options.durability = Durability::kFull;
  auto store = OpenOrDie(options);
  constexpr int kThreads = 8;
  constexpr int kEach = 50;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        Token token =
            MakeToken({{Field::kAccessToken,
                        "t" + std::to_string(t) + "-" + std::to_string(i)}});
        ASSERT_TRUE(store->SaveToken(token).ok());
        ids[t].emplace_back(token.id());
        // Every thread also tries a save that must conflict, in the same
        // groups as the others' good saves.
        Token clash = MakeToken(
            {{Field::kAccessToken, "shared-clash"},
             {Field::kRefreshToken, "r" + std::to_string(t * kEach + i)},
             {Field::kClientId, "c"}});
        if (store->SaveToken(clash).code() == Code::kConflict) ++conflicts;
      }
    });
  }
  for (auto& thread : threads) thread.join();

  std::set<std::string> unique;
  for (const auto& list : ids) unique.insert(list.begin(), list.end());
  EXPECT_EQ(unique.size(), size_t{kThreads * kEach});
  // Exactly one clash insert won; every other one conflicted.
  EXPECT_EQ(conflicts.load(), kThreads * kEach - 1);
  auto all = store->GetTokens();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), size_t{kThreads * kEach + 1});
}

TEST(ConcurrencyTest, ReadersSeeWholeRecordsWhileWritersUpdate) {
  auto store = testing::OpenEphemeral();
  Token token = MakeToken({{Field::kUserName, "u"},
                           {Field::kRefreshToken, "r-0"},
                           {Field::kAccessToken, "a-0"}});
  ASSERT_TRUE(store->SaveToken(token).ok());
  const std::string id(token.id());
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 1; i <= 300; ++i) {
      Token update =
          MakeToken({{Field::kId, id},
                     {Field::kRefreshToken, "r-" + std::to_string(i)},
                     {Field::kAccessToken, "a-" + std::to_string(i)}});
      ASSERT_TRUE(store->SaveToken(update).ok());
    }
    done = true;
  });
  int reads = 0;
  while (!done || reads < 100) {
    auto found = store->FindToken(MakeToken({{Field::kUserName, "u"}}));
    ASSERT_TRUE(found.ok() && found.value());
    // Both tokens always come from the same save.
    EXPECT_EQ((*found)->view(Field::kRefreshToken).substr(2),
              (*found)->view(Field::kAccessToken).substr(2));
    ++reads;
  }
  writer.join();
}

}  // namespace
}  // namespace tks

// ParallelFor: every item exactly once, whatever the count and share.
#include "parallel_for.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace tks {
namespace {

TEST(ParallelForTest, EveryItemExactlyOnce) {
  for (size_t count : {0, 1, 7, 511, 512, 1025, 8192, 10001}) {
    for (size_t min_share : {1, 64, 512, 100000}) {
      std::vector<std::atomic<int>> seen(count);
      ParallelFor(count, min_share, [&](size_t begin, size_t end) {
        ASSERT_LE(begin, end);
        ASSERT_LE(end, count);
        for (size_t i = begin; i < end; ++i) seen[i].fetch_add(1);
      });
      for (size_t i = 0; i < count; ++i) {
        ASSERT_EQ(seen[i].load(), 1)
            << "item " << i << " of " << count << ", share " << min_share;
      }
    }
  }
}

TEST(ParallelForTest, SmallCountsStayOnTheCallingThread) {
  const auto caller = std::this_thread::get_id();
  bool elsewhere = false;
  ParallelFor(100, 512, [&](size_t, size_t) {
    elsewhere = elsewhere || std::this_thread::get_id() != caller;
  });
  EXPECT_FALSE(elsewhere);
}

}  // namespace
}  // namespace tks

// Threads that read a store and exit give their LMDB reader slot back
// (issue #5: the benchmark's short-lived threads hit READERS_FULL).
#include <thread>

#include "test_store.h"

namespace tks {
namespace {

using testing::MakeToken;
using testing::OpenOrDie;
using testing::TempDir;
using testing::TestOptions;

TEST(ReaderSlotsTest, ExitedThreadsDoNotHoldReaderSlots) {
  TempDir dir;
  Options options = TestOptions(dir.Sub("store"));
  options.max_readers = 8;
  auto store = OpenOrDie(options);
  ASSERT_NE(store, nullptr);
  Token token = MakeToken({{Field::kAccessToken, "a"}});
  ASSERT_TRUE(store->SaveToken(token).ok());

  // Many more threads than slots, one after another, each reading once.
  // (LMDB rounds the slot table up to whole pages: ~60 slots here.)
  for (int i = 0; i < 300; ++i) {
    Status status;
    std::thread reader(
        [&] { status = store->FindTokenById(token.id()).status(); });
    reader.join();
    ASSERT_TRUE(status.ok()) << "thread " << i << ": " << status.ToString();
  }
}

TEST(ReaderSlotsTest, ThreadOutlivingItsStoreExitsCleanly) {
  TempDir dir;
  auto store = OpenOrDie(TestOptions(dir.Sub("store")));
  ASSERT_NE(store, nullptr);
  Token token = MakeToken({{Field::kAccessToken, "a"}});
  ASSERT_TRUE(store->SaveToken(token).ok());
  std::mutex mu;
  std::condition_variable cv;
  bool closed = false;
  std::thread reader([&] {
    EXPECT_TRUE(store->FindTokenById(token.id()).ok());
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return closed; });
  });
  // Close while the reader thread still holds its cached transaction.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  store.reset();
  {
    std::lock_guard lock(mu);
    closed = true;
  }
  cv.notify_one();
  reader.join();
}

}  // namespace
}  // namespace tks

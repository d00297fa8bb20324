// Group commit: concurrent writers queue their steps; the writer at the
// head of the queue runs every queued step in one transaction and one
// sync, then hands each writer its own result. In Durability::kFull the
// meta page of a group's commit is flushed after the group has left the
// queue, so the next group commits while the previous one is flushed;
// every writer still gets its result only once its commit is durable.
#ifndef TOKENSTORE_ENGINE_WRITE_QUEUE_H_
#define TOKENSTORE_ENGINE_WRITE_QUEUE_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "tokenstore/status.h"
#include "tokenstore/store.h"

namespace tks {

struct WriteContext;

class WriteQueue {
 public:
  using Step = std::function<Status(WriteContext&)>;

  struct Request {
    const Step* step = nullptr;
    bool alone = false;  // Commits in a transaction of its own.
    Status status;
    bool done = false;
    std::condition_variable cv;
  };

  explicit WriteQueue(Store::Impl& impl) : impl_(impl) {}

  // Blocks until `step` is committed (or failed) and returns its result.
  // With `alone`, no other step shares its transaction.
  Status Submit(const Step& step, size_t max_group, bool alone);

 private:
  Store::Impl& impl_;
  std::mutex mu_;
  std::deque<Request*> queue_;
};

}  // namespace tks

#endif  // TOKENSTORE_ENGINE_WRITE_QUEUE_H_

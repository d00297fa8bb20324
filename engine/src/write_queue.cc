#include "write_queue.h"

#include "store_impl.h"

namespace tks {

Status WriteQueue::Submit(const Step& step, size_t max_group, bool alone) {
  // Step 1: queue up and wait to be done by a leader or to lead.
  Request request;
  request.step = &step;
  request.alone = alone;
  std::unique_lock lock(mu_);
  queue_.push_back(&request);
  // (A request whose group is being flushed has left the queue already.)
  while (!request.done && (queue_.empty() || queue_.front() != &request)) {
    request.cv.wait(lock);
  }
  if (request.done) return request.status;

  // Step 2: lead: take what is queued, commit it without the lock.
  std::vector<Request*> group;
  // A step that wants its transaction alone ends the group (or is it).
  for (Request* queued : queue_) {
    if (group.size() >= max_group) break;
    if (queued->alone && !group.empty()) break;
    group.push_back(queued);
    if (queued->alone) break;
  }
  lock.unlock();
  impl_.CommitGroup(group);
  lock.lock();

  // Step 3: leave the queue and wake the next leader, who commits the
  // next group while this one's commit is flushed.
  for (size_t i = 0; i < group.size(); ++i) queue_.pop_front();
  if (!queue_.empty()) queue_.front()->cv.notify_one();
  lock.unlock();
  const Status synced = impl_.SyncCommitted();
  lock.lock();

  // Step 4: hand out results once they are durable.
  for (Request* done : group) {
    if (done->status.ok() && !synced.ok()) done->status = synced;
    done->done = true;
    if (done != &request) done->cv.notify_one();
  }
  return request.status;
}

}  // namespace tks

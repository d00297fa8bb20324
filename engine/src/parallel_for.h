// Splitting CPU-bound work over the machine's cores, for bulk calls.
#ifndef TOKENSTORE_ENGINE_PARALLEL_FOR_H_
#define TOKENSTORE_ENGINE_PARALLEL_FOR_H_

#include <cstddef>
#include <functional>

namespace tks {

// Calls `work(begin, end)` on contiguous, disjoint shares of [0, count),
// on the calling thread plus up to one helper thread per further core,
// and returns when every share is done. Shares are at least `min_share`
// items, so small counts stay on the calling thread. If a helper thread
// cannot start, the calling thread does its share. `work` must be safe to
// run concurrently on disjoint ranges and must not throw.
void ParallelFor(size_t count, size_t min_share,
                 const std::function<void(size_t, size_t)>& work);

}  // namespace tks

#endif  // TOKENSTORE_ENGINE_PARALLEL_FOR_H_

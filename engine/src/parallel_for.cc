#include "parallel_for.h"

#include <algorithm>
#include <system_error>
#include <thread>
#include <vector>

namespace tks {
namespace {

// More threads than this gain nothing for the sealing and hashing of an
// import and cost memory bandwidth.
constexpr size_t kMaxThreads = 8;

}  // namespace

void ParallelFor(size_t count, size_t min_share,
                 const std::function<void(size_t, size_t)>& work) {
  // Step 1: how many shares: one per core, each at least min_share.
  const size_t cores = std::max<size_t>(std::thread::hardware_concurrency(), 1);
  const size_t by_size =
      std::max<size_t>(count / std::max<size_t>(min_share, 1), 1);
  const size_t shares = std::min({cores, kMaxThreads, by_size});
  if (shares <= 1) {
    if (count > 0) work(0, count);
    return;
  }

  // Step 2: shares 1.. on helper threads; a share whose thread does not
  // start is done here instead.
  const size_t step = (count + shares - 1) / shares;
  std::vector<std::thread> helpers;
  helpers.reserve(shares - 1);
  std::vector<std::pair<size_t, size_t>> left_over;
  for (size_t share = 1; share < shares; ++share) {
    const size_t begin = std::min(count, share * step);
    const size_t end = std::min(count, begin + step);
    if (begin >= end) break;
    try {
      helpers.emplace_back(work, begin, end);
    } catch (const std::system_error&) {
      left_over.emplace_back(begin, end);
    }
  }

  // Step 3: share 0 (and any left over) here, then wait for the rest.
  work(0, std::min(count, step));
  for (const auto& [begin, end] : left_over) work(begin, end);
  for (std::thread& helper : helpers) helper.join();
}

}  // namespace tks

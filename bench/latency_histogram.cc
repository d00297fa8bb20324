#include "latency_histogram.h"

#include <bit>

namespace tks::bench {

int LatencyHistogram::BucketOf(uint64_t v) {
  // Below kSub every value has its own bucket; above, the exponent picks a
  // row and the kSubBits bits after the leading one pick the column.
  if (v < kSub) return static_cast<int>(v);
  const int exponent = 63 - std::countl_zero(v);
  const int column =
      static_cast<int>((v >> (exponent - kSubBits)) & (kSub - 1));
  return kSub + (exponent - kSubBits) * kSub + column;
}

double LatencyHistogram::MiddleOf(int bucket) {
  if (bucket < kSub) return bucket;
  const int exponent = (bucket - kSub) / kSub + kSubBits;
  const int column = (bucket - kSub) % kSub;
  const double width =
      static_cast<double>(uint64_t{1} << (exponent - kSubBits));
  return (kSub + column) * width + width / 2;
}

double LatencyHistogram::Quantile(double q) const {
  // The first bucket where the running count reaches q of the total.
  if (total_ == 0) return 0;
  const double wanted = q * static_cast<double>(total_);
  uint64_t seen = 0;
  for (int bucket = 0; bucket < kBuckets; ++bucket) {
    seen += counts_[bucket];
    if (static_cast<double>(seen) >= wanted && seen > 0) {
      return MiddleOf(bucket);
    }
  }
  return MiddleOf(kBuckets - 1);
}

}  // namespace tks::bench

// A log-linear histogram of per-call latencies in nanoseconds: 32 buckets
// per power of two (about 3 % resolution), fixed size, no allocation while
// recording. Google Benchmark reports means only; p50 and p99 come from
// here.
#ifndef TOKENSTORE_BENCH_LATENCY_HISTOGRAM_H_
#define TOKENSTORE_BENCH_LATENCY_HISTOGRAM_H_

#include <array>
#include <cstdint>

namespace tks::bench {

class LatencyHistogram {
 public:
  void Add(uint64_t nanos) {
    ++counts_[BucketOf(nanos)];
    ++total_;
  }
  uint64_t count() const { return total_; }

  // The latency below which a fraction `q` (0..1] of calls fell, in ns
  // (the middle of its bucket); 0 when empty.
  double Quantile(double q) const;

 private:
  static constexpr int kSubBits = 5;
  static constexpr int kSub = 1 << kSubBits;
  static constexpr int kBuckets = kSub + (64 - kSubBits) * kSub;

  static int BucketOf(uint64_t v);
  static double MiddleOf(int bucket);

  std::array<uint64_t, kBuckets> counts_{};
  uint64_t total_ = 0;
};

}  // namespace tks::bench

#endif  // TOKENSTORE_BENCH_LATENCY_HISTOGRAM_H_

#include "noise_floor.h"

#include <benchmark/benchmark.h>
#include <sodium.h>

#include <array>
#include <chrono>
#include <string>

#include "latency_histogram.h"

namespace tks::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kWorkBytes = 3072;

void BM_FixedWork(benchmark::State& state) {
  // Step 1: the input and key, fixed; they stay in L1. sodium_init picks
  // the same BLAKE2b code the stores use.
  if (sodium_init() < 0) {
    state.SkipWithError("libsodium failed to initialise");
    return;
  }
  std::array<unsigned char, kWorkBytes> input{};
  for (size_t i = 0; i < input.size(); ++i) {
    input[i] = static_cast<unsigned char>(i * 31);
  }
  std::array<unsigned char, crypto_generichash_KEYBYTES> key{};
  std::array<unsigned char, 16> digest{};

  // Step 2: each call timed like a find (bench_ops.cc).
  LatencyHistogram latencies;
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    crypto_generichash(digest.data(), digest.size(), input.data(), input.size(),
                       key.data(), key.size());
    benchmark::DoNotOptimize(digest);
    latencies.Add(static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() -
                                                             start)
            .count()));
    input[0] = digest[0];  // Each call depends on the one before.
  }
  state.counters["p50_us"] = latencies.Quantile(0.50) / 1000;
  state.counters["p99_us"] = latencies.Quantile(0.99) / 1000;
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

void RegisterNoiseFloor(size_t n) {
  const std::string name = "fixed_work/noise-floor/n:" + std::to_string(n);
  benchmark::RegisterBenchmark(name.c_str(), BM_FixedWork)->UseRealTime();
}

}  // namespace tks::bench

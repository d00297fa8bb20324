// The machine's own latency spread, measured in the same run as the
// stores: a fixed computation timed call by call exactly like a find.
#ifndef TOKENSTORE_BENCH_NOISE_FLOOR_H_
#define TOKENSTORE_BENCH_NOISE_FLOOR_H_

#include <cstddef>

namespace tks::bench {

// Registers `fixed_work/noise-floor/n:<n>`: keyed BLAKE2b of a 3 KiB
// buffer that stays in the L1 cache (about as long as one find at small
// sizes), with no allocation, no shared memory and no system call. Its
// p99/p50 is what interrupts, the hypervisor and clock changes add to
// any call of that length on this machine; the report reads the finds'
// p99/p50 against it. Registered before the stores of each size, so it
// runs next to them in time.
void RegisterNoiseFloor(size_t n);

}  // namespace tks::bench

#endif  // TOKENSTORE_BENCH_NOISE_FLOOR_H_

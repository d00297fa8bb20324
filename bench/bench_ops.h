// The benchmarked operations, registered for every (size, peer).
#ifndef TOKENSTORE_BENCH_BENCH_OPS_H_
#define TOKENSTORE_BENCH_BENCH_OPS_H_

#include <cstddef>
#include <vector>

#include "peer_registry.h"

namespace tks::bench {

// Registers, for each size and each peer that takes it, the load, the
// reads, then the writes (reads first: writes change the data set).
// Benchmark names are `<op>/<peer>/n:<size>`.
void RegisterAll(const std::vector<PeerSpec>& peers,
                 const std::vector<size_t>& sizes);

}  // namespace tks::bench

#endif  // TOKENSTORE_BENCH_BENCH_OPS_H_

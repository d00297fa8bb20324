// Every peer the benchmark knows, in the order results are shown, and
// the loaded data sets shared by the benchmarks of one (peer, size).
#ifndef TOKENSTORE_BENCH_PEER_REGISTRY_H_
#define TOKENSTORE_BENCH_PEER_REGISTRY_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "peer.h"

namespace tks::bench {

struct PeerSpec {
  std::string name;
  std::function<std::unique_ptr<Peer>()> make;
  PeerTraits traits;
};

// The peers available in this process (Redis and PostgreSQL only when
// reachable), restricted to `only` when it is not empty.
std::vector<PeerSpec> AvailablePeers(const std::vector<std::string>& only);

// A loaded peer and the state its benchmarks share.
struct Fixture {
  std::unique_ptr<Peer> peer;
  size_t records = 0;
  double load_seconds = 0;
  // Next record index a delete benchmark removes, counting down.
  std::atomic<int64_t> next_delete{0};
};

// The fixture of (spec, records), loading it when it is not the one in
// memory; the previous one is dropped first, so benchmarks must be
// registered grouped by (size, peer). Thread-safe.
Result<Fixture*> GetFixture(const PeerSpec& spec, size_t records);

// A value no earlier call returned, for unique token stamps.
uint64_t NextStamp();

}  // namespace tks::bench

#endif  // TOKENSTORE_BENCH_PEER_REGISTRY_H_

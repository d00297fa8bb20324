// Built without libpq: no PostgreSQL peer.
#include "peers/peer_factories.h"

namespace tks::bench {
std::unique_ptr<Peer> NewPostgresPeer() { return nullptr; }
}  // namespace tks::bench

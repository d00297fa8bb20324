// Built without hiredis: no Redis peer.
#include "peers/peer_factories.h"

namespace tks::bench {
std::unique_ptr<Peer> NewRedisPeer() { return nullptr; }
}  // namespace tks::bench

// Factories of every peer, one file each under bench/peers/.
#ifndef TOKENSTORE_BENCH_PEERS_PEER_FACTORIES_H_
#define TOKENSTORE_BENCH_PEERS_PEER_FACTORIES_H_

#include <memory>

#include "peer.h"
#include "tokenstore/options.h"

namespace tks::bench {

// tokenstore itself, in a durability mode.
std::unique_ptr<Peer> NewTokenstorePeer(Durability durability);
// LMDB with the engine's key layout, plain keys and values, full sync.
std::unique_ptr<Peer> NewRawLmdbPeer();
// The crypto ceiling: the raw LMDB layout with blinded keys (keyed
// BLAKE2b) and sealed values (XChaCha20-Poly1305), no engine code.
std::unique_ptr<Peer> NewCryptoCeilingPeer();
// std::unordered_map in process: the no-storage ceiling.
std::unique_ptr<Peer> NewHashMapPeer();
// SQLite with unique indexes, prepared statements, WAL, full sync.
std::unique_ptr<Peer> NewSqliteIndexedPeer();
// SQLite the SDK way: a connection per call, SQL built from strings.
std::unique_ptr<Peer> NewSqliteSdkPeer();
// The SDK's CSV token file: every call reads the whole file.
std::unique_ptr<Peer> NewCsvFilePeer();
// The SDK's in-process list, scanned linearly.
std::unique_ptr<Peer> NewListPeer();
// The largest data set a server peer (Redis, PostgreSQL) is run with:
// $TKS_BENCH_SERVER_MAX, 100000 by default.
size_t ServerPeerCap();

// Redis on 127.0.0.1 (TKS_BENCH_REDIS_PORT); nullptr when unreachable.
std::unique_ptr<Peer> NewRedisPeer();
// PostgreSQL on 127.0.0.1 (TKS_BENCH_PG_CONNINFO); nullptr when
// unreachable.
std::unique_ptr<Peer> NewPostgresPeer();

}  // namespace tks::bench

#endif  // TOKENSTORE_BENCH_PEERS_PEER_FACTORIES_H_

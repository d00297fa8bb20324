// A store on bare LMDB with the engine's database layout (DESIGN §4),
// parameterised by how index keys and record values are made. With plain
// keys and values it is the raw LMDB reference; with keyed hashes and
// sealed values it is the crypto ceiling. No engine code is used.
#ifndef TOKENSTORE_BENCH_PEERS_LMDB_LAYOUT_PEER_H_
#define TOKENSTORE_BENCH_PEERS_LMDB_LAYOUT_PEER_H_

#include <memory>
#include <string>
#include <string_view>

#include "peer.h"

namespace tks::bench {

// Which index a key is made for (a keyed hash uses one subkey each).
enum class IndexKind { kUser = 0, kRefresh = 1, kAccess = 2, kGrant = 3 };

class LayoutCodec {
 public:
  virtual ~LayoutCodec() = default;
  // The index key of a field value.
  virtual std::string IndexKey(IndexKind kind,
                               std::string_view value) const = 0;
  // The stored value of record `seq` and back.
  virtual Status Encode(uint64_t seq, const Record& record,
                        std::string* out) const = 0;
  virtual Status Decode(uint64_t seq, std::string_view value,
                        Record* out) const = 0;
};

// Plain field encoding shared by both codecs: ten (u16 length, bytes)
// then the generation (u64); `padded` accepts bytes after that.
void EncodeFields(const Record& record, std::string* out);
Status DecodeFields(std::string_view bytes, Record* out, bool padded = false);

std::unique_ptr<Peer> NewLmdbLayoutPeer(std::string name,
                                        std::unique_ptr<LayoutCodec> codec);

}  // namespace tks::bench

#endif  // TOKENSTORE_BENCH_PEERS_LMDB_LAYOUT_PEER_H_

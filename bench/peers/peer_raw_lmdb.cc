// Raw LMDB: the engine's layout with plain keys and plain values, the
// ceiling of an indexed find on this machine.
#include "peers/lmdb_layout_peer.h"
#include "peers/peer_factories.h"

namespace tks::bench {
namespace {

class PlainCodec : public LayoutCodec {
 public:
  std::string IndexKey(IndexKind, std::string_view value) const override {
    return std::string(value);
  }
  Status Encode(uint64_t, const Record& record,
                std::string* out) const override {
    out->clear();
    EncodeFields(record, out);
    return Status::Ok();
  }
  Status Decode(uint64_t, std::string_view value, Record* out) const override {
    return DecodeFields(value, out);
  }
};

}  // namespace

std::unique_ptr<Peer> NewRawLmdbPeer() {
  return NewLmdbLayoutPeer("raw-lmdb", std::make_unique<PlainCodec>());
}

}  // namespace tks::bench

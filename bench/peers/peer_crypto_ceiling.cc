// The crypto ceiling: the raw LMDB layout plus exactly the cryptography
// a find needs (one keyed BLAKE2b of the probed value, one
// XChaCha20-Poly1305 open of the padded record), calling libsodium
// directly and no engine code.
#include <sodium.h>

#include <array>
#include <vector>

#include "peers/lmdb_layout_peer.h"
#include "peers/peer_factories.h"

namespace tks::bench {
namespace {

constexpr size_t kHashSize = 16;
constexpr size_t kPadBlock = 128;
constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

class SealingCodec : public LayoutCodec {
 public:
  SealingCodec() {
    // One random data key and one hashing subkey per index.
    randombytes_buf(data_key_.data(), data_key_.size());
    for (auto& key : index_keys_) randombytes_buf(key.data(), key.size());
  }

  std::string IndexKey(IndexKind kind, std::string_view value) const override {
    std::string out(kHashSize, '\0');
    const auto& key = index_keys_[static_cast<size_t>(kind)];
    crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), kHashSize,
                       reinterpret_cast<const unsigned char*>(value.data()),
                       value.size(), key.data(), key.size());
    return out;
  }

  Status Encode(uint64_t seq, const Record& record,
                std::string* out) const override {
    // Step 1: the plaintext, zero-padded to the bucket (the decoder knows
    // where the fields end, so no padding scan is needed on open).
    std::string plain;
    EncodeFields(record, &plain);
    const size_t padded = (plain.size() / kPadBlock + 1) * kPadBlock;
    plain.resize(padded, '\0');

    // Step 2: nonce || ciphertext || tag, bound to the sequence.
    out->assign(kNonce + padded + kTag, '\0');
    auto* bytes = reinterpret_cast<unsigned char*>(out->data());
    randombytes_buf(bytes, kNonce);
    unsigned long long sealed = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        bytes + kNonce, &sealed,
        reinterpret_cast<const unsigned char*>(plain.data()), padded,
        reinterpret_cast<const unsigned char*>(&seq), sizeof seq, nullptr,
        bytes, data_key_.data());
    sodium_memzero(plain.data(), plain.size());
    return Status::Ok();
  }

  Status Decode(uint64_t seq, std::string_view value,
                Record* out) const override {
    // Step 1: open into a reused buffer.
    if (value.size() < kNonce + kTag) return Corrupt("short value");
    thread_local std::vector<unsigned char> plain;
    plain.resize(value.size());
    const auto* bytes = reinterpret_cast<const unsigned char*>(value.data());
    unsigned long long opened = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            plain.data(), &opened, nullptr, bytes + kNonce,
            value.size() - kNonce, reinterpret_cast<const unsigned char*>(&seq),
            sizeof seq, bytes, data_key_.data()) != 0) {
      return Corrupt("record does not open");
    }

    // Step 2: decode; the zero padding after the fields is ignored.
    const Status decoded =
        DecodeFields({reinterpret_cast<const char*>(plain.data()),
                      static_cast<size_t>(opened)},
                     out, /*padded=*/true);
    sodium_memzero(plain.data(), opened);
    return decoded;
  }

 private:
  std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES>
      data_key_{};
  std::array<std::array<unsigned char, crypto_generichash_KEYBYTES>, 4>
      index_keys_{};
};

}  // namespace

std::unique_ptr<Peer> NewCryptoCeilingPeer() {
  if (sodium_init() < 0) return nullptr;
  return NewLmdbLayoutPeer("crypto-ceiling", std::make_unique<SealingCodec>());
}

}  // namespace tks::bench

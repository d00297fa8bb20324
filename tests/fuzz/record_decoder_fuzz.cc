// libFuzzer target: the record decoder (engine/src/record_codec.h). Any
// input must be decoded or refused with CORRUPT, never crash or read out
// of bounds; a decoded plaintext must survive re-encoding unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "record_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // Step 1: the clear header of a stored value.
  auto header = tks::codec::ParseHeader(input, 7);
  if (header.ok()) {
    if (header->id.size() + header->sealed.size() > input.size()) std::abort();
  } else if (header.status().code() != tks::Code::kCorrupt) {
    std::abort();
  }

  // Step 2: the plaintext codec, and a round trip of what decodes.
  tks::Token token;
  const tks::Status decoded = tks::codec::DecodePlaintext(input, &token);
  if (!decoded.ok()) {
    if (decoded.code() != tks::Code::kCorrupt) std::abort();
    return 0;
  }
  tks::crypto::SecretString encoded;
  if (!tks::codec::EncodePlaintext(token, &encoded).ok()) std::abort();
  tks::Token again;
  if (!tks::codec::DecodePlaintext(encoded.view(), &again).ok()) std::abort();
  if (!again.SameFields(token) || again.generation() != token.generation() ||
      again.updated_at_ms() != token.updated_at_ms()) {
    std::abort();
  }
  return 0;
}

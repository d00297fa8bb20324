// Canaries for the leak tests: unique random values stored as tokens,
// secrets and user names, and every encoding that would give one away.
#ifndef TOKENSTORE_TESTS_RELIABILITY_CANARY_H_
#define TOKENSTORE_TESTS_RELIABILITY_CANARY_H_

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace tks::reliability {

// 40 random letters and digits.
std::string RandomCanary(std::mt19937_64& rng);

std::string Hex(std::string_view bytes, bool upper);
std::string Base64(std::string_view bytes, bool url);

// Raw, hex (both cases), base64 (standard and URL, three alignments: only
// the characters that depend on the canary alone) and raw 12-byte pieces.
std::vector<std::string> Encodings(const std::string& canary);

// How many (canary, encoding) pairs of `canaries` occur in `text`; the
// first one found is described in *first when it is not null.
int CountCanaryHits(const std::vector<std::string>& canaries,
                    std::string_view text, std::string* first = nullptr);

// The whole file, or "" if it cannot be read.
std::string ReadFile(const std::string& path);

}  // namespace tks::reliability

#endif  // TOKENSTORE_TESTS_RELIABILITY_CANARY_H_

#include "fake_tokens.h"

#include <array>
#include <string_view>

namespace tks::bench {
namespace {

// SplitMix64: a fast, well-mixed sequence from any 64-bit seed.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// `count` characters from `alphabet`, drawn from a stream seeded by seed.
std::string Draw(uint64_t seed, size_t count, std::string_view alphabet) {
  std::string out;
  out.reserve(count);
  uint64_t bits = Mix(seed);
  for (size_t i = 0; i < count; ++i) {
    if (i % 8 == 7) bits = Mix(bits + i);
    out.push_back(alphabet[(bits >> ((i % 8) * 8)) % alphabet.size()]);
  }
  return out;
}

constexpr std::string_view kHex = "0123456789abcdef";
constexpr std::string_view kUpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::array<std::string_view, 6> kFirstNames = {"mo", "ivan", "ana",
                                                         "li", "sara", "tom"};
constexpr std::array<std::string_view, 3> kDomains = {
    "https://www.zohoapis.com", "https://www.zohoapis.eu",
    "https://www.zohoapis.com.au"};

// `1000.<32 hex>.<32 hex>`; `kind` keeps refresh, access and grant apart.
std::string OAuthToken(uint64_t index, uint64_t kind, uint64_t variant) {
  const uint64_t seed = Mix(index * 8 + kind) ^ Mix(variant + 0x51ed);
  return "1000." + Draw(seed, 32, kHex) + "." + Draw(seed + 1, 32, kHex);
}

}  // namespace

Record MakeRecord(uint64_t index, bool with_id, uint64_t variant) {
  // Step 1: the identity of the record: id, user, client app.
  Record r;
  if (with_id) r.at(Field::kId) = std::to_string(index + 1);
  r.at(Field::kUserName) =
      std::string(kFirstNames[index % 6]) + ".user" + std::to_string(index) +
      "@example.com:" + std::to_string(60000000 + index % 997);
  const uint64_t app = index % 3;
  r.at(Field::kClientId) = "1000." + Draw(app + 77, 30, kUpperAlnum);
  r.at(Field::kClientSecret) = Draw(app + 99, 42, kHex);

  // Step 2: the tokens, which change with every refresh (variant).
  r.at(Field::kRefreshToken) = OAuthToken(index, 1, variant);
  r.at(Field::kAccessToken) = OAuthToken(index, 2, variant);
  r.at(Field::kGrantToken) = OAuthToken(index, 3, variant);

  // Step 3: expiry (one in ten already past) and the app's URLs.
  const uint64_t expiry = index % 10 == 0
                              ? kBenchNowMs - 3'600'000 - index
                              : kBenchNowMs + 3'600'000 + index % 1000;
  r.at(Field::kExpiryTime) = std::to_string(expiry);
  r.at(Field::kRedirectUrl) = "https://app.example.com/oauth/callback";
  r.at(Field::kApiDomain) = std::string(kDomains[app]);
  return r;
}

std::string MissingToken(uint64_t index) { return OAuthToken(index, 7, 0); }

void Restamp(Record* record, uint64_t stamp) {
  // Step 1: stamp || the rest of the token keeps kinds apart.
  char hex[16];
  for (int i = 15; i >= 0; --i, stamp >>= 4) hex[i] = kHex[stamp & 0xf];
  for (Field field :
       {Field::kRefreshToken, Field::kAccessToken, Field::kGrantToken}) {
    std::string& token = record->at(field);
    if (token.size() >= 5 + 16) token.replace(5, 16, hex, 16);
  }

  // Step 2: a refresh moves the expiry an hour on.
  record->at(Field::kExpiryTime) =
      std::to_string(kBenchNowMs + 7'200'000 + (stamp & 0xffff));
}

std::vector<Record> MakeDataset(size_t count) {
  std::vector<Record> records;
  records.reserve(count);
  for (size_t i = 0; i < count; ++i) records.push_back(MakeRecord(i, true));
  return records;
}

}  // namespace tks::bench

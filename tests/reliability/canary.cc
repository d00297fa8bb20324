#include "canary.h"

#include <fstream>
#include <sstream>

namespace tks::reliability {

std::string RandomCanary(std::mt19937_64& rng) {
  static constexpr char kAlphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string canary;
  for (int i = 0; i < 40; ++i) canary += kAlphabet[rng() % 62];
  return canary;
}

std::string Hex(std::string_view bytes, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string Base64(std::string_view bytes, bool url) {
  const char* table =
      url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
          : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : bytes) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) {
      out += table[(bits >> (count - 6)) & 63];
      count -= 6;
    }
  }
  if (count > 0) out += table[(bits << (6 - count)) & 63];
  return out;
}

std::vector<std::string> Encodings(const std::string& canary) {
  std::vector<std::string> out = {canary, Hex(canary, false),
                                  Hex(canary, true)};
  for (bool url : {false, true}) {
    for (size_t shift = 0; shift < 3; ++shift) {
      const std::string encoded =
          Base64(std::string(shift, '\0') + canary, url);
      const size_t first = (8 * shift + 5) / 6;
      const size_t last = (8 * (shift + canary.size())) / 6;
      out.push_back(encoded.substr(first, last - first));
    }
  }
  for (size_t at = 0; at + 12 <= canary.size(); at += 7) {
    out.push_back(canary.substr(at, 12));
  }
  return out;
}

int CountCanaryHits(const std::vector<std::string>& canaries,
                    std::string_view text, std::string* first) {
  int hits = 0;
  for (const std::string& canary : canaries) {
    for (const std::string& encoding : Encodings(canary)) {
      if (text.find(encoding) == std::string_view::npos) continue;
      if (hits++ == 0 && first != nullptr) {
        *first = "'" + encoding + "' (from canary " + canary + ")";
      }
    }
  }
  return hits;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace tks::reliability

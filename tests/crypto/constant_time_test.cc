// ConstantTimeEquals: word-wise with a byte tail, so every length and
// every position of a difference must be tried.
#include <gtest/gtest.h>

#include <string>

#include "tokenstore/crypto/blind_index.h"

namespace tks::crypto {
namespace {

TEST(ConstantTimeEqualsTest, FindsADifferenceAtEveryPositionOfEveryLength) {
  for (size_t length = 0; length <= 41; ++length) {
    std::string a(length, '\0');
    for (size_t i = 0; i < length; ++i) a[i] = static_cast<char>(i * 7 + 1);
    const std::string b = a;
    EXPECT_TRUE(ConstantTimeEquals(a, b)) << length;
    for (size_t at = 0; at < length; ++at) {
      for (char flip : {'\x01', '\x80'}) {
        std::string c = a;
        c[at] = static_cast<char>(c[at] ^ flip);
        EXPECT_FALSE(ConstantTimeEquals(a, c)) << length << " " << at;
        EXPECT_FALSE(ConstantTimeEquals(c, a)) << length << " " << at;
      }
    }
  }
}

TEST(ConstantTimeEqualsTest, DifferentLengthsAreNeverEqual) {
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_FALSE(ConstantTimeEquals(std::string(16, 'x'), std::string(17, 'x')));
}

}  // namespace
}  // namespace tks::crypto

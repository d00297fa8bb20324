// Promise 7 (DESIGN §4, §5, §7, issue #6): damaged stored bytes are
// reported as CORRUPT naming the record, never misread, and the other
// records stay readable; a wrong root key fails at open with WRONG_KEY; a
// store of a newer format is refused with VERSION.
#include <map>
#include <set>
#include <vector>

#include "consistency_check.h"
#include "raw_lmdb.h"
#include "reliability_support.h"

namespace tks::reliability {
namespace {

constexpr int kRecords = 12;

class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.Sub("store");
    auto store = testing::OpenOrDie(testing::TestOptions(path_));
    ASSERT_NE(store, nullptr);
    for (int n = 0; n < kRecords; ++n) {
      const std::string tag = std::to_string(n);
      Token token = testing::MakeToken({{Field::kUserName, "user-" + tag},
                                        {Field::kAccessToken, "at-" + tag},
                                        {Field::kRefreshToken, "rt-" + tag},
                                        {Field::kApiDomain, "d" + tag}});
      ASSERT_TRUE(store->SaveToken(token).ok());
      ids_.emplace_back(token.id());
    }
  }

  // The stored values in sequence order (keys are big-endian sequences).
  std::vector<std::pair<std::string, std::string>> Values(RawLmdb& raw) {
    auto all = raw.ReadAll("records");
    return {all.begin(), all.end()};
  }

  // Expects the damaged ids to fail with CORRUPT naming them (by id and
  // by user name) and every other record to read back whole.
  void ExpectDamage(const std::set<int>& damaged) {
    auto store = testing::OpenOrDie(testing::TestOptions(path_));
    ASSERT_NE(store, nullptr);
    for (int n = 0; n < kRecords; ++n) {
      auto by_id = store->FindTokenById(ids_[n]);
      Token by_user;
      by_user.set(Field::kUserName, "user-" + std::to_string(n));
      auto found = store->FindToken(by_user);
      if (damaged.count(n)) {
        EXPECT_EQ(by_id.status().code(), Code::kCorrupt)
            << "record " << n << ": " << by_id.status().ToString();
        EXPECT_NE(by_id.status().message().find("'" + ids_[n] + "'"),
                  std::string::npos)
            << "message does not name id " << ids_[n] << ": "
            << by_id.status().message();
        EXPECT_EQ(found.status().code(), Code::kCorrupt);
        continue;
      }
      ASSERT_TRUE(by_id.ok()) << by_id.status().ToString();
      EXPECT_EQ(by_id->view(Field::kApiDomain), "d" + std::to_string(n));
      ASSERT_TRUE(found.ok() && found.value().has_value());
      EXPECT_EQ(found.value()->id(), ids_[n]);
    }

    // The cursor names each damaged record once and moves past it.
    auto cursor = store->NewCursor();
    int good = 0;
    int bad = 0;
    for (int step = 0; step < 2 * kRecords; ++step) {
      auto next = cursor->Next();
      if (!next.ok()) {
        EXPECT_EQ(next.status().code(), Code::kCorrupt);
        ++bad;
        continue;
      }
      if (!next.value()) break;
      ++good;
    }
    EXPECT_EQ(bad, static_cast<int>(damaged.size()));
    EXPECT_EQ(good, kRecords - static_cast<int>(damaged.size()));

    // The consistency check (verify) reports each damaged record.
    const ConsistencyReport report = CheckConsistency(*store);
    EXPECT_GE(report.problems.size(), damaged.size());
  }

  testing::TempDir dir_;
  std::string path_;
  std::vector<std::string> ids_;
};

TEST_F(TamperTest, FlippedCiphertextByteIsCorruptNamingTheRecord) {
  {
    RawLmdb raw(path_);
    ASSERT_TRUE(raw.ok());
    auto values = Values(raw);
    std::string value = values[3].second;
    value[value.size() - 5] ^= 0x01;
    ASSERT_TRUE(raw.Put("records", values[3].first, value));
  }
  ExpectDamage({3});
}

TEST_F(TamperTest, EveryFlippedBitOfOneRecordIsDetected) {
  // Each bit of one record's value flipped in turn: never misread.
  std::string original;
  std::string key;
  {
    RawLmdb raw(path_);
    auto values = Values(raw);
    key = values[5].first;
    original = values[5].second;
  }
  uint64_t flips = 0;
  for (size_t bit = 0; bit < original.size() * 8; bit += 7, ++flips) {
    {
      RawLmdb raw(path_);
      std::string value = original;
      value[bit / 8] ^= static_cast<char>(1 << (bit % 8));
      ASSERT_TRUE(raw.Put("records", key, value));
    }
    auto store = testing::OpenOrDie(testing::TestOptions(path_));
    auto found = store->FindTokenById(ids_[5]);
    EXPECT_FALSE(found.ok()) << "bit " << bit << " flipped went unseen";
    EXPECT_EQ(found.status().code(), Code::kCorrupt)
        << "bit " << bit << ": " << found.status().ToString();
    auto other = store->FindTokenById(ids_[6]);
    EXPECT_TRUE(other.ok());
  }
  Figure("tamper_bit_flips", flips);
}

TEST_F(TamperTest, SwappedValuesAreCorruptNamingTheRecords) {
  {
    RawLmdb raw(path_);
    auto values = Values(raw);
    ASSERT_TRUE(raw.Put("records", values[4].first, values[5].second));
    ASSERT_TRUE(raw.Put("records", values[5].first, values[4].second));
  }
  ExpectDamage({4, 5});
}

TEST_F(TamperTest, TruncatedValuesAreCorruptNamingTheRecords) {
  {
    RawLmdb raw(path_);
    auto values = Values(raw);
    const std::string& half = values[7].second;
    ASSERT_TRUE(
        raw.Put("records", values[7].first, half.substr(0, half.size() / 2)));
    ASSERT_TRUE(
        raw.Put("records", values[8].first, values[8].second.substr(0, 3)));
    ASSERT_TRUE(raw.Put("records", values[9].first, ""));
  }
  ExpectDamage({7, 8, 9});
}

TEST_F(TamperTest, RedirectedIdIndexEntryIsCorruptNotAnotherRecord) {
  // The id index entry of record 2 points to record 3's sequence.
  {
    RawLmdb raw(path_);
    auto ids = raw.ReadAll("idx_id");
    ASSERT_TRUE(raw.Put("idx_id", ids_[2], ids.at(ids_[3])));
  }
  auto store = testing::OpenOrDie(testing::TestOptions(path_));
  auto found = store->FindTokenById(ids_[2]);
  EXPECT_EQ(found.status().code(), Code::kCorrupt)
      << (found.ok() ? "returned record " + std::string(found->id())
                     : found.status().ToString());
  EXPECT_NE(found.status().message().find("'" + ids_[2] + "'"),
            std::string::npos);
  EXPECT_TRUE(store->FindTokenById(ids_[3]).ok());
  EXPECT_FALSE(CheckConsistency(*store).clean());
}

TEST(KeyAndVersionTest, WrongRootKeyFailsAtOpen) {
  testing::TempDir dir;
  const std::string path = dir.Sub("store");
  ASSERT_NE(testing::OpenOrDie(testing::TestOptions(path)), nullptr);
  auto wrong = Store::Open(testing::TestOptions(path, 'w'));
  EXPECT_EQ(wrong.status().code(), Code::kWrongKey)
      << wrong.status().ToString();
  auto right = Store::Open(testing::TestOptions(path));
  EXPECT_TRUE(right.ok());
}

TEST(KeyAndVersionTest, WrongPassphraseFailsAtOpen) {
  testing::TempDir dir;
  Options options;
  options.path = dir.Sub("store");
  options.durability = Durability::kNoSync;
  options.root_key.passphrase =
      std::make_shared<crypto::SecretString>("correct horse");
  ASSERT_TRUE(Store::Open(options).ok());
  options.root_key.passphrase =
      std::make_shared<crypto::SecretString>("wrong horse");
  EXPECT_EQ(Store::Open(options).status().code(), Code::kWrongKey);
  // A key where a passphrase made the store is a wrong key too.
  EXPECT_EQ(Store::Open(testing::TestOptions(options.path)).status().code(),
            Code::kWrongKey);
}

TEST(KeyAndVersionTest, NewerOrUnknownFormatIsRefused) {
  testing::TempDir dir;
  const std::string path = dir.Sub("store");
  ASSERT_NE(testing::OpenOrDie(testing::TestOptions(path)), nullptr);
  for (uint32_t version : {kFormatVersion + 1, 0xffffffffu, 0u}) {
    {
      RawLmdb raw(path);
      std::string bytes(4, '\0');
      for (int i = 0; i < 4; ++i) {
        bytes[i] = static_cast<char>(version >> (24 - 8 * i));
      }
      ASSERT_TRUE(raw.Put("meta", "format", bytes));
    }
    auto store = Store::Open(testing::TestOptions(path));
    EXPECT_EQ(store.status().code(), Code::kVersion)
        << "format " << version << ": " << store.status().ToString();
  }
}

}  // namespace
}  // namespace tks::reliability

// Promise 6 (DESIGN §5, §7, §8.3, issue #6): no plaintext anywhere. Every
// token, client secret and user name is a unique random canary; every
// engine call runs, error paths included, with a log sink that captures
// everything; then data.mdb, lock.mdb, the log lines and every error
// message are scanned for each canary raw, in hex and in base64 (three
// alignments, standard and URL alphabets), and for 12-byte pieces of it.
//
// The same scan over the C API (its error strings and log sink) is in
// capi_test.cc, over the tks binary (stdout, stderr, exports, backups) in
// cli_leak_test.cc.
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <vector>

#include "canary.h"
#include "raw_lmdb.h"
#include "reliability_support.h"
#include "tokenstore/redact.h"

namespace tks::reliability {
namespace {

class LeakTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.Sub("store");
    options_ = testing::TestOptions(path_);
    options_.durability = Durability::kFull;
    options_.log = [this](LogLevel level, std::string_view message) {
      std::lock_guard lock(log_mu_);
      logs_.push_back(std::string(LogLevelName(level)) + " " +
                      std::string(message));
    };
  }

  // A record whose secret fields are fresh canaries.
  Token CanaryToken() {
    Token token;
    for (Field field :
         {Field::kUserName, Field::kClientSecret, Field::kRefreshToken,
          Field::kAccessToken, Field::kGrantToken}) {
      canaries_.push_back(RandomCanary(rng_));
      token.set(field, canaries_.back());
    }
    token.set(Field::kClientId, "1000.CLIENT");
    token.set(Field::kExpiryTime, "1700000000000");
    return token;
  }

  // Remembers what a call said (its error message) for the scan.
  void Said(const Status& status) { messages_.push_back(status.ToString()); }
  template <typename T>
  void Said(const Result<T>& result) {
    Said(result.status());
  }

  // Runs every engine call, good and bad, against canary records.
  void ExerciseEveryCall();

  // Counts canary encodings found in `haystack`.
  int CountCanaries(const std::string& haystack) {
    int hits = 0;
    for (const std::string& canary : canaries_) {
      for (const std::string& encoding : Encodings(canary)) {
        hits += haystack.find(encoding) != std::string::npos;
      }
    }
    return hits;
  }

  // The hook every output of the product goes through: zero hits.
  void ScanForCanaries(const std::string& where, const std::string& text) {
    EXPECT_EQ(CountCanaries(text), 0) << "canary found in " << where;
    scanned_bytes_ += text.size();
  }

  testing::TempDir dir_;
  std::string path_;
  Options options_;
  std::mt19937_64 rng_{std::random_device{}()};
  std::vector<std::string> canaries_;
  std::mutex log_mu_;
  std::vector<std::string> logs_;
  std::vector<std::string> messages_;
  uint64_t scanned_bytes_ = 0;
};

void LeakTest::ExerciseEveryCall() {
  std::vector<Token> saved;
  {
    auto store = testing::OpenOrDie(options_);
    ASSERT_NE(store, nullptr);

    // Saves: insert, update, CAS (win and lose), batch, import.
    for (int i = 0; i < 6; ++i) {
      saved.push_back(CanaryToken());
      Said(store->SaveToken(saved.back()));
    }
    Token update = CanaryToken();
    update.set(Field::kId, saved[0].id());
    Said(store->SaveToken(update));
    Token cas = CanaryToken();
    cas.set(Field::kId, saved[1].id());
    Said(store->SaveTokenIf(cas, saved[1].generation()));
    Said(store->SaveTokenIf(cas, 999));
    std::vector<Token> batch = {CanaryToken(), CanaryToken()};
    Said(store->SaveTokens(batch));
    std::vector<Token> imported = {CanaryToken()};
    imported[0].set(Field::kId, "imported-1");
    Said(store->InsertTokensWithIds(imported));

    // Error paths: conflicts, limits, no token, unknown id, bad lease.
    Token clash = CanaryToken();
    clash.set(Field::kRefreshToken, saved[2].view(Field::kRefreshToken));
    Said(store->SaveToken(clash));
    Said(store->InsertTokensWithIds(imported));
    Token huge = CanaryToken();
    std::string big;
    while (big.size() <= kMaxFieldBytes) big += canaries_.back();
    huge.set(Field::kAccessToken, big);
    Said(store->SaveToken(huge));
    Token no_token;
    no_token.set(Field::kUserName, RandomCanary(rng_));
    canaries_.push_back(std::string(no_token.view(Field::kUserName)));
    Said(store->SaveToken(no_token));
    Token ghost = CanaryToken();
    ghost.set(Field::kId, "no-such-id");
    Said(store->SaveToken(ghost));
    std::vector<Token> bad_batch = {CanaryToken(), clash};
    Said(store->SaveTokens(bad_batch));

    // Finds by every rule, hits and misses.
    for (const Token& token : saved) {
      Said(store->FindTokenById(token.id()));
      Token query;
      query.set(Field::kUserName, token.view(Field::kUserName));
      Said(store->FindToken(query));
      Token by_access;
      by_access.set(Field::kAccessToken, token.view(Field::kAccessToken));
      Said(store->FindToken(by_access));
      Token by_grant = token;
      by_grant.clear(Field::kUserName);
      by_grant.clear(Field::kAccessToken);
      Said(store->FindToken(by_grant));
      messages_.push_back(ShowField(token, Field::kRefreshToken, false));
      messages_.push_back(ShowField(token, Field::kUserName, false));
      messages_.push_back(RedactValue(token.view(Field::kClientSecret)));
    }
    Said(store->FindTokenById("missing"));
    Said(store->FindToken(CanaryToken()));

    // Scans, leases, statistics, deletes, purge.
    Said(store->GetTokens());
    auto cursor = store->NewCursor();
    for (auto next = cursor->Next(); next.ok() && next.value();
         next = cursor->Next()) {
    }
    const std::string holder = RandomCanary(rng_);
    Said(store->AcquireRefreshLease(saved[3].id(), "holder-a",
                                    std::chrono::seconds(5)));
    Said(store->AcquireRefreshLease(saved[3].id(), "holder-b",
                                    std::chrono::seconds(5)));
    Said(store->ReleaseRefreshLease(saved[3].id(), "holder-b"));
    Said(store->ReleaseRefreshLease(saved[3].id(), "holder-a"));
    Said(store->AcquireRefreshLease("missing", "holder-a",
                                    std::chrono::seconds(5)));
    Said(store->GetStats());
    Said(store->DeleteToken(saved[4].id()));
    Said(store->DeleteToken(saved[4].id()));
    Said(store->DeleteUserTokens(saved[5].view(Field::kUserName)));
    Said(store->DeleteUserTokens(RandomCanary(rng_)));
    Said(store->PurgeExpired(1800000000000, 1));
  }

  // A wrong key, then a damaged record read back.
  Said(Store::Open(testing::TestOptions(path_, 'w')));
  {
    RawLmdb raw(path_);
    auto values = raw.ReadAll("records");
    ASSERT_FALSE(values.empty());
    std::string value = values.begin()->second;
    value[value.size() / 2] ^= 0x10;
    ASSERT_TRUE(raw.Put("records", values.begin()->first, value));
  }
  auto store = testing::OpenOrDie(options_);
  ASSERT_NE(store, nullptr);
  for (const Token& token : saved) {
    Said(store->FindTokenById(token.id()));
    Token query;
    query.set(Field::kUserName, token.view(Field::kUserName));
    Said(store->FindToken(query));
  }
  Said(store->GetTokens());
  Said(store->DeleteTokens());
}

TEST_F(LeakTest, NoCanaryInFilesLogsOrMessages) {
  ExerciseEveryCall();
  ASSERT_FALSE(HasFatalFailure());

  // Every place the engine writes or says something.
  ScanForCanaries("data.mdb", ReadFile(path_ + "/data.mdb"));
  ScanForCanaries("lock.mdb", ReadFile(path_ + "/lock.mdb"));
  std::string all_logs;
  for (const std::string& line : logs_) all_logs += line + "\n";
  ScanForCanaries("log sink", all_logs);
  std::string all_messages;
  for (const std::string& line : messages_) all_messages += line + "\n";
  ScanForCanaries("error messages", all_messages);

  // The scan finds what it looks for (guards against a blind scan).
  EXPECT_GT(CountCanaries("<" + canaries_[0] + ">"), 0);
  EXPECT_GT(CountCanaries(Hex(canaries_[1], true)), 0);
  EXPECT_GT(CountCanaries(Base64("xy" + canaries_[2], true)), 0);
  EXPECT_GT(CountCanaries("..." + canaries_[3].substr(20, 14)), 0);
  Figure("canaries", canaries_.size());
  Figure("log_lines_scanned", logs_.size());
  Figure("messages_scanned", messages_.size());
  Figure("bytes_scanned", scanned_bytes_);
  EXPECT_GT(logs_.size(), 3u);
}

// Regression: LogLevelName was declared in log.h but never defined.
TEST(LogLevelNameTest, NamesEveryLevel) {
  EXPECT_EQ(LogLevelName(LogLevel::kDebug), "DEBUG");
  EXPECT_EQ(LogLevelName(LogLevel::kInfo), "INFO");
  EXPECT_EQ(LogLevelName(LogLevel::kWarning), "WARNING");
  EXPECT_EQ(LogLevelName(LogLevel::kError), "ERROR");
}

}  // namespace
}  // namespace tks::reliability

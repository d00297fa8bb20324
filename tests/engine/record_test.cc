// Record values: limits, null versus empty, byte-exact round trips,
// tampering and concurrent inserts from two processes.
#include <lmdb.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "test_store.h"

namespace tks {
namespace {

using testing::MakeToken;
using testing::OpenEphemeral;
using testing::OpenOrDie;
using testing::TempDir;
using testing::TestOptions;

TEST(RecordTest, NullAndEmptyStayDistinct) {
  auto store = OpenEphemeral();
  Token token =
      MakeToken({{Field::kAccessToken, "a"}, {Field::kRedirectUrl, ""}});
  ASSERT_TRUE(store->SaveToken(token).ok());
  auto stored = store->FindTokenById(token.id());
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->has(Field::kRedirectUrl));
  EXPECT_EQ(stored->view(Field::kRedirectUrl), "");
  EXPECT_FALSE(stored->has(Field::kApiDomain));
}

TEST(RecordTest, AwkwardBytesRoundTripExactly) {
  // DESIGN §8.7: quotes, commas, newlines, NUL and non-ASCII bytes.
  auto store = OpenEphemeral();
  const std::string user = "d.o'brien\"x\",y\r\n\xc3\xa9\xff";
  const std::string access = std::string("tok\0en", 6) + "'; DROP TABLE --";
  Token token = MakeToken({{Field::kUserName, user},
                           {Field::kAccessToken, access},
                           {Field::kRedirectUrl, " padded  "}});
  ASSERT_TRUE(store->SaveToken(token).ok());
  auto by_user = store->FindToken(MakeToken({{Field::kUserName, user}}));
  ASSERT_TRUE(by_user.ok() && by_user.value());
  EXPECT_EQ((*by_user)->view(Field::kAccessToken), access);
  EXPECT_EQ((*by_user)->view(Field::kRedirectUrl), " padded  ");
  auto by_access = store->FindToken(MakeToken({{Field::kAccessToken, access}}));
  ASSERT_TRUE(by_access.ok() && by_access.value());
  EXPECT_EQ((*by_access)->view(Field::kUserName), user);
}

TEST(RecordTest, LimitsNameTheField) {
  auto store = OpenEphemeral();
  Token big =
      MakeToken({{Field::kAccessToken, std::string(16 * 1024 + 1, 'x')}});
  Status status = store->SaveToken(big);
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_NE(status.message().find("access_token"), std::string::npos);

  Token at_limit =
      MakeToken({{Field::kAccessToken, std::string(16 * 1024, 'x')}});
  EXPECT_TRUE(store->SaveToken(at_limit).ok());

  Token record;
  for (Field f : {Field::kUserName, Field::kClientSecret, Field::kRefreshToken,
                  Field::kAccessToken, Field::kGrantToken}) {
    record.set(f, std::string(14 * 1024, static_cast<char>('a' + int(f))));
  }
  status = store->SaveToken(record);
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_NE(status.message().find("64 KiB"), std::string::npos);

  Token bad_id =
      MakeToken({{Field::kId, "has space"}, {Field::kAccessToken, "z"}});
  status = store->SaveToken(bad_id);
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_NE(status.message().find("id"), std::string::npos);
  Token long_id = MakeToken(
      {{Field::kId, std::string(129, '7')}, {Field::kAccessToken, "z"}});
  EXPECT_EQ(store->SaveToken(long_id).code(), Code::kInvalidArgument);
}

// Flips one byte inside the sealed part of record `seq`.
void FlipRecordByte(const std::string& path, uint64_t seq) {
  MDB_env* env = nullptr;
  ASSERT_EQ(mdb_env_create(&env), 0);
  mdb_env_set_maxdbs(env, 16);
  ASSERT_EQ(mdb_env_open(env, path.c_str(), 0, 0600), 0);
  MDB_txn* txn = nullptr;
  ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), 0);
  MDB_dbi records = 0;
  ASSERT_EQ(mdb_dbi_open(txn, "records", 0, &records), 0);
  char key_bytes[8] = {0, 0, 0, 0, 0, 0, 0, static_cast<char>(seq)};
  MDB_val key{8, key_bytes};
  MDB_val value{};
  ASSERT_EQ(mdb_get(txn, records, &key, &value), 0);
  std::string copy(static_cast<char*>(value.mv_data), value.mv_size);
  copy[copy.size() - 20] ^= 0x01;
  MDB_val changed{copy.size(), copy.data()};
  ASSERT_EQ(mdb_put(txn, records, &key, &changed, 0), 0);
  ASSERT_EQ(mdb_txn_commit(txn), 0);
  mdb_env_close(env);
}

TEST(RecordTest, FlippedByteIsCorruptNamingTheRecordOthersStillRead) {
  TempDir dir;
  const std::string path = dir.Sub("store");
  {
    auto store = OpenOrDie(TestOptions(path));
    for (const char* access : {"a1", "a2", "a3"}) {
      Token token = MakeToken({{Field::kAccessToken, access}});
      ASSERT_TRUE(store->SaveToken(token).ok());
    }
  }
  FlipRecordByte(path, 2);

  auto store = OpenOrDie(TestOptions(path));
  auto damaged = store->FindTokenById("2");
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.status().code(), Code::kCorrupt);
  EXPECT_NE(damaged.status().message().find("'2'"), std::string::npos);
  auto by_access = store->FindToken(MakeToken({{Field::kAccessToken, "a2"}}));
  EXPECT_EQ(by_access.status().code(), Code::kCorrupt);
  EXPECT_TRUE(store->FindTokenById("1").ok());
  EXPECT_TRUE(store->FindTokenById("3").ok());

  // The cursor reports the damaged record and moves on.
  auto cursor = store->NewCursor();
  std::vector<std::string> seen;
  int corrupt = 0;
  for (;;) {
    auto next = cursor->Next();
    if (!next.ok()) {
      ++corrupt;
      continue;
    }
    if (!next.value()) break;
    seen.emplace_back((*next)->id());
  }
  EXPECT_EQ(corrupt, 1);
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "3"}));
}

TEST(RecordTest, NoPlaintextInStoreFiles) {
  TempDir dir;
  const std::string path = dir.Sub("store");
  const std::string user = "canary-user-7f3a9c@example.com:123";
  const std::string refresh = "1000.canaryrefresh0d1e2f3a4b5c6d7e.ffff";
  const std::string secret = "canarysecret9a8b7c6d5e4f3a2b1c0d";
  {
    auto store = OpenOrDie(TestOptions(path));
    Token token = MakeToken({{Field::kUserName, user},
                             {Field::kClientId, "1000.C"},
                             {Field::kClientSecret, secret},
                             {Field::kRefreshToken, refresh}});
    ASSERT_TRUE(store->SaveToken(token).ok());
  }
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    for (const std::string& canary : {user, refresh, secret}) {
      EXPECT_EQ(bytes.find(canary), std::string::npos)
          << entry.path() << " holds a plaintext value";
    }
  }
}

TEST(RecordTest, TwoProcessesInsertingAtOnceGetUniqueIds) {
  // DESIGN §8.8. Each child opens the store itself (never across fork).
  TempDir dir;
  const std::string path = dir.Sub("store");
  { auto store = OpenOrDie(TestOptions(path)); }
  constexpr int kChildren = 2;
  constexpr int kEach = 200;
  std::vector<pid_t> children;
  for (int child = 0; child < kChildren; ++child) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto opened = Store::Open(TestOptions(path));
      if (!opened.ok()) ::_exit(2);
      std::ofstream out(dir.Sub("ids" + std::to_string(child)));
      for (int i = 0; i < kEach; ++i) {
        Token token;
        token.set(Field::kAccessToken,
                  "c" + std::to_string(child) + "-" + std::to_string(i));
        if (!(*opened)->SaveToken(token).ok()) ::_exit(3);
        out << token.id() << "\n";
      }
      out.close();
      opened->reset();
      ::_exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
  }
  std::set<std::string> ids;
  for (int child = 0; child < kChildren; ++child) {
    std::ifstream in(dir.Sub("ids" + std::to_string(child)));
    for (std::string id; in >> id;) EXPECT_TRUE(ids.insert(id).second) << id;
  }
  EXPECT_EQ(ids.size(), size_t{kChildren * kEach});
  auto store = OpenOrDie(TestOptions(path));
  auto all = store->GetTokens();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), size_t{kChildren * kEach});
}

}  // namespace
}  // namespace tks

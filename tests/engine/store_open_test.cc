// Opening stores: key sources, wrong key, format version, permissions,
// persistence and ephemeral stores.
#include <lmdb.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "fs_check.h"
#include "test_store.h"
#include "tokenstore/admin.h"
#include "tokenstore/crypto/root_key.h"

namespace tks {
namespace {

using testing::MakeToken;
using testing::OpenOrDie;
using testing::TempDir;
using testing::TestOptions;

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777;
}

TEST(StoreOpenTest, RecordsSurviveReopen) {
  TempDir dir;
  const Options options = TestOptions(dir.Sub("store"));
  std::string id;
  {
    auto store = OpenOrDie(options);
    Token token =
        MakeToken({{Field::kUserName, "u"}, {Field::kAccessToken, "a"}});
    ASSERT_TRUE(store->SaveToken(token).ok());
    id = token.id();
  }
  auto store = OpenOrDie(options);
  auto found = store->FindTokenById(id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->view(Field::kUserName), "u");
}

TEST(StoreOpenTest, DirectoryIs0700AndFilesAre0600) {
  TempDir dir;
  const std::string path = dir.Sub("store");
  auto store = OpenOrDie(TestOptions(path));
  EXPECT_EQ(ModeOf(path), 0700u);
  EXPECT_EQ(ModeOf(path + "/data.mdb"), 0600u);
  EXPECT_EQ(ModeOf(path + "/lock.mdb"), 0600u);
}

TEST(StoreOpenTest, WrongKeyFailsAtOpen) {
  TempDir dir;
  {
    auto store = OpenOrDie(TestOptions(dir.Sub("store"), 'a'));
    Token token = MakeToken({{Field::kAccessToken, "a"}});
    ASSERT_TRUE(store->SaveToken(token).ok());
  }
  auto wrong = Store::Open(TestOptions(dir.Sub("store"), 'b'));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), Code::kWrongKey);
}

TEST(StoreOpenTest, MissingStoreWithoutCreateIsNotFound) {
  TempDir dir;
  Options options = TestOptions(dir.Sub("absent"));
  options.create_if_missing = false;
  EXPECT_EQ(Store::Open(options).status().code(), Code::kNotFound);
}

TEST(StoreOpenTest, NoKeySourceOrTwoSourcesIsInvalid) {
  TempDir dir;
  Options none;
  none.path = dir.Sub("store");
  EXPECT_EQ(Store::Open(none).status().code(), Code::kInvalidArgument);
  Options two = TestOptions(dir.Sub("store"));
  two.root_key.key_env = "TKS_TEST_KEY";
  EXPECT_EQ(Store::Open(two).status().code(), Code::kInvalidArgument);
}

TEST(StoreOpenTest, KeyFileAndEnvironmentSourcesOpenTheSameStore) {
  TempDir dir;
  const std::string key_file = dir.Sub("root.key");
  auto key = crypto::CreateKeyFile(key_file);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(ModeOf(key_file), 0600u);
  EXPECT_EQ(crypto::CreateKeyFile(key_file).status().code(),
            Code::kInvalidArgument);

  Options by_file;
  by_file.path = dir.Sub("store");
  by_file.root_key.key_file = key_file;
  {
    auto store = OpenOrDie(by_file);
    Token token = MakeToken({{Field::kAccessToken, "a"}});
    ASSERT_TRUE(store->SaveToken(token).ok());
  }

  std::ifstream in(key_file);
  std::string hex;
  in >> hex;
  ::setenv("TKS_TEST_ROOT_KEY", hex.c_str(), 1);
  Options by_env;
  by_env.path = dir.Sub("store");
  by_env.root_key.key_env = "TKS_TEST_ROOT_KEY";
  auto store = OpenOrDie(by_env);
  EXPECT_TRUE(store->FindTokenById("1").ok());
  ::unsetenv("TKS_TEST_ROOT_KEY");
}

TEST(StoreOpenTest, KeyFileReadableByOthersIsRefused) {
  TempDir dir;
  const std::string key_file = dir.Sub("root.key");
  ASSERT_TRUE(crypto::CreateKeyFile(key_file).ok());
  ASSERT_EQ(::chmod(key_file.c_str(), 0644), 0);
  auto key = crypto::ReadKeyFile(key_file);
  EXPECT_EQ(key.status().code(), Code::kInvalidArgument);
}

TEST(StoreOpenTest, PassphraseOpensAndWrongPassphraseIsWrongKey) {
  TempDir dir;
  Options options;
  options.path = dir.Sub("store");
  options.durability = Durability::kNoSync;
  options.root_key.passphrase =
      std::make_shared<crypto::SecretString>(std::string_view("correct"));
  {
    auto store = OpenOrDie(options);
    Token token = MakeToken({{Field::kAccessToken, "a"}});
    ASSERT_TRUE(store->SaveToken(token).ok());
  }
  EXPECT_TRUE(Store::Open(options).ok());
  options.root_key.passphrase =
      std::make_shared<crypto::SecretString>(std::string_view("wrong"));
  EXPECT_EQ(Store::Open(options).status().code(), Code::kWrongKey);
}

TEST(StoreOpenTest, NewerFormatVersionIsRefused) {
  TempDir dir;
  const std::string path = dir.Sub("store");
  { auto store = OpenOrDie(TestOptions(path)); }

  // Rewrite meta "format" to one past this build's version.
  MDB_env* env = nullptr;
  ASSERT_EQ(mdb_env_create(&env), 0);
  mdb_env_set_maxdbs(env, 16);
  ASSERT_EQ(mdb_env_open(env, path.c_str(), 0, 0600), 0);
  MDB_txn* txn = nullptr;
  ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), 0);
  MDB_dbi meta = 0;
  ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
  const uint32_t next = kFormatVersion + 1;
  const char bytes[4] = {static_cast<char>(next >> 24),
                         static_cast<char>(next >> 16),
                         static_cast<char>(next >> 8), static_cast<char>(next)};
  MDB_val key{6, const_cast<char*>("format")};
  MDB_val value{4, const_cast<char*>(bytes)};
  ASSERT_EQ(mdb_put(txn, meta, &key, &value, 0), 0);
  ASSERT_EQ(mdb_txn_commit(txn), 0);
  mdb_env_close(env);

  auto store = Store::Open(TestOptions(path));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kVersion);
}

TEST(StoreOpenTest, StoreWithoutIndexSetBGetsItAtOpen) {
  // Step 1: a store as an older build made it: no "_b" databases.
  TempDir dir;
  const std::string path = dir.Sub("store");
  Token token =
      MakeToken({{Field::kUserName, "u"}, {Field::kAccessToken, "a"}});
  {
    auto store = OpenOrDie(TestOptions(path));
    ASSERT_TRUE(store->SaveToken(token).ok());
  }
  MDB_env* env = nullptr;
  ASSERT_EQ(mdb_env_create(&env), 0);
  mdb_env_set_maxdbs(env, 16);
  ASSERT_EQ(mdb_env_open(env, path.c_str(), 0, 0600), 0);
  MDB_txn* txn = nullptr;
  ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), 0);
  for (const char* name :
       {"idx_user_b", "idx_refresh_b", "idx_access_b", "idx_grant_b"}) {
    MDB_dbi dbi = 0;
    ASSERT_EQ(mdb_dbi_open(txn, name, 0, &dbi), 0) << name;
    ASSERT_EQ(mdb_drop(txn, dbi, 1), 0) << name;
  }
  ASSERT_EQ(mdb_txn_commit(txn), 0);
  mdb_env_close(env);

  // Step 2: a wrong key changes nothing; the right one adds the set.
  EXPECT_EQ(Store::Open(TestOptions(path, 'w')).status().code(),
            Code::kWrongKey);
  auto store = OpenOrDie(TestOptions(path));
  ASSERT_NE(store, nullptr);
  Token query = MakeToken({{Field::kUserName, "u"}});
  auto found = store->FindToken(query);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id(), token.id());
  auto indexed = RotateIndexKey(*store, 10);
  ASSERT_TRUE(indexed.ok()) << indexed.status().ToString();
  EXPECT_EQ(*indexed, 1u);
  found = store->FindToken(query);
  ASSERT_TRUE(found.ok() && found->has_value());
  auto report = VerifyStore(*store);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->clean());
}

TEST(StoreOpenTest, EphemeralStoreIsDeletedOnClose) {
  std::string path;
  {
    Options options;
    options.ephemeral = true;
    auto store = OpenOrDie(options);
    path = store->path();
    EXPECT_TRUE(std::filesystem::exists(path + "/data.mdb"));
    EXPECT_EQ(ModeOf(path), 0700u);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(StoreOpenTest, NetworkFilesystemsAreNamedAndLocalOnesAllowed) {
  // The classification behind UNSUPPORTED_FS, testable without NFS.
  EXPECT_EQ(NetworkFilesystemName(0x6969), "nfs");
  EXPECT_EQ(NetworkFilesystemName(0xFF534D42), "cifs");
  EXPECT_EQ(NetworkFilesystemName(0xEF53), "");  // ext4
  TempDir dir;
  EXPECT_TRUE(CheckLocalFilesystem(dir.path()).ok());
}

TEST(StoreOpenTest, LogSinkHearsLifecycleEvents) {
  std::vector<std::string> lines;
  std::mutex mu;
  Options options;
  options.ephemeral = true;
  options.log = [&](LogLevel, std::string_view message) {
    std::lock_guard lock(mu);
    lines.emplace_back(message);
  };
  { auto store = OpenOrDie(options); }
  ASSERT_GE(lines.size(), 2u);
  EXPECT_NE(lines.front().find("created store"), std::string::npos);
}

}  // namespace
}  // namespace tks

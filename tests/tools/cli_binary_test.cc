// The tks binary end to end: exit codes, secrets only from stdin, output
// redacted unless --reveal, errors without secrets.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "cli_harness.h"

namespace tks::testing {
namespace {

class TksBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // An imported store for every test, made by the binary itself.
    ::unsetenv("TKS_ROOT_KEY");
    ::unsetenv("TKS_STORE");
    store_ = dir_.Sub("store");
    key_ = dir_.Sub("store.key");
    CliRun init = Tks({"init", "--store", store_});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    CliRun import = Tks({"import", "--store", store_, SampleFile()});
    ASSERT_EQ(import.exit_code, 0) << import.err;
    auto rows = tools::ReadSdkCsvFile(SampleFile());
    ASSERT_TRUE(rows.ok());
    rows_ = std::move(rows.value());
    secrets_ = SecretValues(rows_);
  }

  static std::string SampleFile() {
    return std::string(TKS_SHARED_DATA_DIR) + "/sdk_tokens.txt";
  }

  CliRun Tks(const std::vector<std::string>& args,
             const std::string& input = "") {
    return RunBinary(TKS_CLI_BINARY, args, input, scratch_);
  }

  // A store command: --store is added.
  CliRun OnStore(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin() + 1, {"--store", store_});
    return Tks(args, input);
  }

  const Token& Row(size_t index) const { return rows_[index].token; }
  std::string Value(size_t index, Field field) const {
    return std::string(Row(index).view(field));
  }

  // Neither stream holds a secret of the sample file.
  void ExpectNoSecret(const CliRun& run) const {
    EXPECT_EQ(FirstLeak(run.out, secrets_), "") << run.out;
    EXPECT_EQ(FirstLeak(run.err, secrets_), "") << run.err;
  }

  TempDir dir_;
  TempDir scratch_;
  std::string store_;
  std::string key_;
  std::vector<tools::SdkRow> rows_;
  std::vector<std::string> secrets_;
};

TEST_F(TksBinaryTest, HelpListsCommandsAndExitCodes) {
  CliRun help = Tks({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* word : {"init", "import", "find", "get", "list", "delete",
                           "stats", "exit codes", "wrong root key"}) {
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
  }
  EXPECT_EQ(Tks({}).exit_code, 2);
  EXPECT_EQ(Tks({"frobnicate"}).exit_code, 2);
  for (const char* command :
       {"init", "import", "find", "get", "list", "delete", "stats"}) {
    CliRun run = Tks({command, "--help"});
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_NE(run.out.find("usage: tks"), std::string::npos) << command;
  }
}

TEST_F(TksBinaryTest, InitMakesAPrivateStoreAndKeyFile) {
  struct stat info;
  ASSERT_EQ(::stat(key_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(store_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);

  // A second init on the same place is refused and changes nothing.
  const std::string key_before = ReadWholeFile(key_);
  CliRun again = Tks({"init", "--store", store_});
  EXPECT_EQ(again.exit_code, 3);
  EXPECT_EQ(ReadWholeFile(key_), key_before);
}

TEST_F(TksBinaryTest, FindByUserReadsTheValueFromStdin) {
  CliRun run = OnStore({"find", "--user"}, Value(2, Field::kUserName) + "\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("found id " + std::string(Row(2).id()) +
                         " by user name in "),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("s"), std::string::npos);
  ExpectNoSecret(run);
}

TEST_F(TksBinaryTest, FindByAccessTokenWithCrlfInput) {
  CliRun run = OnStore({"find", "--access", "--repeat", "5"},
                       Value(4, Field::kAccessToken) + "\r\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("found id " + std::string(Row(4).id())),
            std::string::npos);
  EXPECT_NE(run.out.find("median of 5 runs"), std::string::npos);
  ExpectNoSecret(run);
}

TEST_F(TksBinaryTest, FindByRefreshAndGrantNeedClientCredentials) {
  // Row 0 has a grant token; the secret comes on stdin line 2.
  const std::string client_id = Value(0, Field::kClientId);
  const std::string secret = Value(0, Field::kClientSecret);
  for (const auto& [flag, field] :
       {std::pair{"--refresh", Field::kRefreshToken},
        std::pair{"--grant", Field::kGrantToken}}) {
    CliRun run = OnStore({"find", flag, "--client-id", client_id},
                         Value(0, field) + "\n" + secret + "\n");
    EXPECT_EQ(run.exit_code, 0) << flag << run.err;
    EXPECT_NE(run.out.find("found id 1 "), std::string::npos) << run.out;
    ExpectNoSecret(run);

    // The client id may come on line 3 instead.
    run = OnStore({"find", flag},
                  Value(0, field) + "\n" + secret + "\n" + client_id + "\n");
    EXPECT_EQ(run.exit_code, 0) << flag << run.err;

    // Without the secret the rule does not apply: a usage error.
    run = OnStore({"find", flag, "--client-id", client_id},
                  Value(0, field) + "\n");
    EXPECT_EQ(run.exit_code, 2) << flag;
    ExpectNoSecret(run);
  }
}

TEST_F(TksBinaryTest, FindByIdAndGet) {
  CliRun find = OnStore({"find", "--id"}, "22\n");
  EXPECT_EQ(find.exit_code, 0) << find.err;
  EXPECT_NE(find.out.find("https://app.example.com/cb?a=1,b=2"),
            std::string::npos);
  CliRun get = OnStore({"get", "22"});
  EXPECT_EQ(get.exit_code, 0) << get.err;
  EXPECT_NE(get.out.find("found id 22 in "), std::string::npos);
  ExpectNoSecret(find);
  ExpectNoSecret(get);
}

TEST_F(TksBinaryTest, MissesExitWithOne) {
  EXPECT_EQ(OnStore({"find", "--access"}, "1000.nothing\n").exit_code, 1);
  EXPECT_EQ(OnStore({"find", "--user"}, "\n").exit_code, 1);
  EXPECT_EQ(OnStore({"find", "--id"}, "999\n").exit_code, 1);
  EXPECT_EQ(OnStore({"get", "999"}).exit_code, 1);
  EXPECT_EQ(OnStore({"delete", "999"}).exit_code, 1);
}

TEST_F(TksBinaryTest, SecretsAreNeverTakenFromArguments) {
  // A value given as an argument is refused, and no input is a usage error.
  CliRun run = OnStore({"find", "--access", Value(0, Field::kAccessToken)});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("standard input"), std::string::npos) << run.err;
  ExpectNoSecret(run);
  EXPECT_EQ(OnStore({"find", "--access"}).exit_code, 2);
  EXPECT_EQ(OnStore({"find", "--access", "--user"}, "x\n").exit_code, 2);
}

TEST_F(TksBinaryTest, ListIsRedactedUnlessRevealed) {
  CliRun list = OnStore({"list"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("24 records"), std::string::npos);
  ExpectNoSecret(list);

  // --reveal shows them: the redaction check above can fail.
  CliRun revealed = OnStore({"list", "--reveal"});
  EXPECT_EQ(revealed.exit_code, 0);
  EXPECT_NE(revealed.out.find(Value(0, Field::kRefreshToken)),
            std::string::npos);
}

TEST_F(TksBinaryTest, DeleteRemovesTheRecord) {
  EXPECT_EQ(OnStore({"delete", "5"}).exit_code, 0);
  EXPECT_EQ(OnStore({"get", "5"}).exit_code, 1);
  EXPECT_EQ(OnStore({"find", "--access"}, Value(4, Field::kAccessToken) + "\n")
                .exit_code,
            1);
  CliRun stats = OnStore({"stats"});
  EXPECT_NE(stats.out.find("records                 23"), std::string::npos)
      << stats.out;
}

TEST_F(TksBinaryTest, WrongKeyExitsWithFour) {
  const std::string other_key = dir_.Sub("other.key");
  ASSERT_EQ(Tks({"init", "--store", dir_.Sub("other"), "--key-file", other_key})
                .exit_code,
            0);
  CliRun run = OnStore({"stats", "--key-file", other_key});
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_NE(run.err.find("WRONG_KEY"), std::string::npos) << run.err;
}

TEST_F(TksBinaryTest, KeyFromEnvironment) {
  // The key file's hex, handed over through $TKS_ROOT_KEY.
  std::string hex = ReadWholeFile(key_);
  while (!hex.empty() && hex.back() == '\n') hex.pop_back();
  ::setenv("TKS_ROOT_KEY", hex.c_str(), 1);
  ::setenv("TKS_STORE", store_.c_str(), 1);
  CliRun run = Tks({"stats"});
  ::unsetenv("TKS_ROOT_KEY");
  ::unsetenv("TKS_STORE");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find(hex), std::string::npos);
}

TEST_F(TksBinaryTest, BadImportsChangeNothingAndNameTheLine) {
  const std::string header =
      "id,user_name,client_id,client_secret,refresh_token,access_token,"
      "grant_token,expiry_time,redirect_uri,api_domain\n";
  const std::string good_row = "100,new@x.com:1,,,1000.new,,,,,\n";
  struct Case {
    std::string text;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {header + good_row + "101,u,,,,a,,,\n", "line 3: expected 10"},
      {header + good_row + "101,\"u,,,,a,,,,\n", "line 3: unterminated"},
      {header + good_row + "101,u,,,,a" + std::string(kMaxFieldBytes, 'z') +
           ",,,,\n",
       "line 3: field access_token"},
      {header + good_row + "1,u2,,,1000.dup,,,,,\n", "line 3"},
      {header + good_row + "102,u,,," + Value(0, Field::kRefreshToken) +
           ",,,,,\n",
       "line 3"},
      {"", "empty token file"},
  };
  for (const Case& c : cases) {
    const std::string file = dir_.Sub("bad.txt");
    std::ofstream(file, std::ios::trunc) << c.text;
    CliRun run = OnStore({"import", file});
    EXPECT_EQ(run.exit_code, 3) << c.expect;
    EXPECT_NE(run.err.find(c.expect), std::string::npos) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1);
    ExpectNoSecret(run);
    EXPECT_EQ(OnStore({"get", "100"}).exit_code, 1) << c.expect;
  }
  CliRun missing = OnStore({"import", dir_.Sub("missing.txt")});
  EXPECT_EQ(missing.exit_code, 1);
  CliRun stats = OnStore({"stats"});
  EXPECT_NE(stats.out.find("records                 24"), std::string::npos);
}

}  // namespace
}  // namespace tks::testing

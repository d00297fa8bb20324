// The operator commands of tks (issue 4): export and SQLite round trips,
// the duplicate rule, bad inputs, verify, backup/restore, purge,
// delete-user and root key rotation. Each run is checked for secrets.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "cli_harness.h"
#include "tokenstore/admin_testing.h"
#include "tokenstore/tools/sqlite_table.h"

namespace tks::testing {
namespace {

std::string Shared(const std::string& name) {
  return std::string(TKS_SHARED_DATA_DIR) + "/" + name;
}

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  ::stat(path.c_str(), &info);
  return info.st_mode & 0777;
}

class OperatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("TKS_ROOT_KEY");
    ::unsetenv("TKS_STORE");
    auto rows = tools::ReadSdkCsvFile(Shared("sdk_tokens.txt"));
    ASSERT_TRUE(rows.ok());
    secrets_ = SecretValues(*rows);
    ASSERT_EQ(Run({"init", "--store", Store()}).exit_code, 0);
  }

  std::string Store() const { return dir_.Sub("store"); }
  std::string Key() const { return dir_.Sub("store.key"); }

  // Runs tks in process and checks that no sample secret shows.
  CliRun Run(const std::vector<std::string>& args,
             const std::string& input = "") {
    CliRun run = RunInProcess(args, input);
    EXPECT_EQ(FirstLeak(run.out, secrets_), "") << run.out;
    EXPECT_EQ(FirstLeak(run.err, secrets_), "") << run.err;
    return run;
  }

  // A store command: --store is added.
  CliRun OnStore(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin() + 1, {"--store", Store()});
    return Run(args, input);
  }

  uint64_t RecordCount() {
    CliRun stats = OnStore({"stats"});
    const size_t at = stats.out.find("records");
    return at == std::string::npos
               ? 0
               : std::stoull(stats.out.substr(
                     stats.out.find_first_of("0123456789", at)));
  }

  std::vector<Token> TableRows(const std::string& path) {
    auto rows = tools::ReadSqliteTable(path, "oauthtoken");
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<Token> tokens;
    if (rows.ok()) {
      for (auto& row : *rows) tokens.push_back(std::move(row.token));
    }
    return tokens;
  }

  TempDir dir_;
  std::vector<std::string> secrets_;
};

TEST_F(OperatorTest, CsvRoundTripGivesTheSameFileBack) {
  ASSERT_EQ(OnStore({"import", Shared("sdk_tokens.txt")}).exit_code, 0);
  const std::string out = dir_.Sub("out.csv");
  CliRun run = OnStore({"export", "--reveal", out});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(ModeOf(out), 0600u);
  // Same header, CRLF, minimal quoting and empty = null as the SDK file.
  EXPECT_EQ(ReadWholeFile(out), ReadWholeFile(Shared("sdk_tokens.txt")));
}

TEST_F(OperatorTest, LegacyFileExportsAsTenColumnsAndReimports) {
  ASSERT_EQ(OnStore({"import", Shared("sdk_tokens_legacy9.txt")}).exit_code, 0);
  const std::string out = dir_.Sub("out.csv");
  ASSERT_EQ(OnStore({"export", "--reveal", out}).exit_code, 0);
  auto before = tools::ReadSdkCsvFile(Shared("sdk_tokens_legacy9.txt"));
  auto after = tools::ReadSdkCsvFile(out);
  ASSERT_TRUE(before.ok() && after.ok());
  ASSERT_EQ(before->size(), after->size());
  for (size_t i = 0; i < before->size(); ++i) {
    EXPECT_TRUE((*before)[i].token.SameFields((*after)[i].token)) << i;
  }
}

TEST_F(OperatorTest, SqliteRoundTripKeepsEveryField) {
  CliRun import = OnStore({"import", Shared("zohooauth.db")});
  ASSERT_EQ(import.exit_code, 0) << import.err;
  const std::string out = dir_.Sub("out.db");
  CliRun run = OnStore({"export", "--reveal", out});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(ModeOf(out), 0600u);
  const std::vector<Token> source = TableRows(Shared("zohooauth.db"));
  const std::vector<Token> copy = TableRows(out);
  ASSERT_EQ(source.size(), 24u);
  ASSERT_EQ(copy.size(), source.size());
  for (size_t i = 0; i < source.size(); ++i) {
    EXPECT_TRUE(source[i].SameFields(copy[i])) << "row " << i + 1;
  }
}

TEST_F(OperatorTest, SqliteTableNameIsAnOption) {
  ASSERT_EQ(OnStore({"import", Shared("sdk_tokens.txt")}).exit_code, 0);
  const std::string out = dir_.Sub("named.sqlite");
  ASSERT_EQ(
      OnStore({"export", "--reveal", "--table", "tokens_v2", out}).exit_code,
      0);
  auto rows = tools::ReadSqliteTable(out, "tokens_v2");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->size(), 24u);
  EXPECT_EQ(tools::ReadSqliteTable(out, "oauthtoken").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(
      OnStore({"export", "--table", "x;drop", dir_.Sub("x.db")}).exit_code, 3);
}

TEST_F(OperatorTest, TenThousandRowsImportVerifyAndExport) {
  ASSERT_EQ(OnStore({"import", Shared("sdk_tokens_10k.txt")}).exit_code, 0);
  CliRun verify = OnStore({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_NE(verify.out.find("checked 10000 records"), std::string::npos);
  const std::string out = dir_.Sub("10k.csv");
  ASSERT_EQ(OnStore({"export", "--reveal", out}).exit_code, 0);
  EXPECT_EQ(ReadWholeFile(out), ReadWholeFile(Shared("sdk_tokens_10k.txt")));
}

TEST_F(OperatorTest, ExportsAreRedactedUnlessRevealed) {
  ASSERT_EQ(OnStore({"import", Shared("sdk_tokens.txt")}).exit_code, 0);
  const std::string csv = dir_.Sub("red.csv");
  const std::string db = dir_.Sub("red.db");
  ASSERT_EQ(OnStore({"export", csv}).exit_code, 0);
  ASSERT_EQ(OnStore({"export", db}).exit_code, 0);
  EXPECT_EQ(FirstLeak(ReadWholeFile(csv), secrets_), "");
  EXPECT_EQ(FirstLeak(ReadWholeFile(db), secrets_), "");
  EXPECT_EQ(ModeOf(csv), 0600u);
  EXPECT_EQ(ModeOf(db), 0600u);
}

TEST_F(OperatorTest, ExportNeverOverwritesAFile) {
  const std::string out = dir_.Sub("taken.csv");
  std::ofstream(out) << "keep me";
  CliRun run = OnStore({"export", out});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("not overwriting"), std::string::npos);
  EXPECT_EQ(ReadWholeFile(out), "keep me");
}

TEST_F(OperatorTest, LaterRowWinsATokenHeldTwiceAndTheSkipIsReported) {
  const std::string file = dir_.Sub("dups.txt");
  std::ofstream(file) << "id,user_name,client_id,client_secret,"
                         "refresh_token,access_token,grant_token,"
                         "expiry_time,redirect_uri,api_domain\n"
                         "1,a@x.com:1,,,R1,A1,,,,\n"
                         "2,b@x.com:1,,,R2,A2,,,,\n"
                         "3,a@x.com:1,,,R1,A3,,,,\n";
  CliRun run = OnStore({"import", file});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("skipped line 2 (id 1): its refresh_token is also "
                         "in line 4 (id 3), the later row wins"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("imported 2 records"), std::string::npos);
  EXPECT_NE(run.out.find("1 skipped as duplicates"), std::string::npos);
  EXPECT_EQ(OnStore({"get", "1"}).exit_code, 1);
  EXPECT_EQ(OnStore({"get", "3"}).exit_code, 0);
}

TEST_F(OperatorTest, BadSourcesFailClearlyAndChangeNothing) {
  ASSERT_EQ(OnStore({"import", Shared("sdk_tokens.txt")}).exit_code, 0);
  const std::string header =
      "id,user_name,client_id,client_secret,refresh_token,access_token,"
      "grant_token,expiry_time,redirect_uri,api_domain\n";

  // A SQLite file whose table is not the SDK's.
  const std::string other_db = dir_.Sub("other.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(other_db.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TABLE oauthtoken (id text, token text);"
                           "INSERT INTO oauthtoken VALUES ('900', 'x');",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  const std::string dup_ids = dir_.Sub("dup_ids.txt");
  std::ofstream(dup_ids) << header << "900,u,,,R900,,,,,\n"
                         << "900,v,,,R901,,,,,\n";
  const std::string empty = dir_.Sub("empty.txt");
  std::ofstream(empty) << "";

  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {{"import", other_db}, 3, "not an SDK token table: no column"},
      {{"import", "--table", "nope", Shared("zohooauth.db")},
       3,
       "no table 'nope'"},
      {{"import", "--from", "sqlite", dup_ids}, 3, "not a SQLite database"},
      {{"import", dup_ids}, 3, "line 3: id '900' repeats line 2"},
      {{"import", empty}, 3, "empty token file"},
      {{"import", dir_.Sub("missing.db")}, 1, "no such file"},
      {{"import", "--from", "oracle", dup_ids}, 2, "unknown kind"},
  };
  for (const Case& c : cases) {
    CliRun run = OnStore(c.args);
    EXPECT_EQ(run.exit_code, c.exit_code) << c.expect << ": " << run.err;
    EXPECT_NE(run.err.find(c.expect), std::string::npos) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1);
  }
  EXPECT_EQ(RecordCount(), 24u);
  EXPECT_EQ(OnStore({"get", "900"}).exit_code, 1);
  EXPECT_EQ(OnStore({"verify"}).exit_code, 0);
}

TEST_F(OperatorTest, VerifyReportsDamageByIdAndExitsFive) {
  ASSERT_EQ(OnStore({"import", Shared("sdk_tokens.txt")}).exit_code, 0);
  {
    Options options;
    options.path = Store();
    options.create_if_missing = false;
    options.root_key.key_file = Key();
    auto store = OpenOrDie(options);
    ASSERT_NE(store, nullptr);
    using testing_hooks::Damage;
    ASSERT_TRUE(
        testing_hooks::DamageStore(*store, Damage::kFlipRecordByte, "9").ok());
    ASSERT_TRUE(testing_hooks::DamageStore(*store, Damage::kDeleteIndexEntry,
                                           "10", Field::kRefreshToken)
                    .ok());
  }
  CliRun run = OnStore({"verify"});
  EXPECT_EQ(run.exit_code, 5);
  EXPECT_NE(run.out.find("record id 9 (sequence"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("refresh_token index: no entry for record id 10"),
            std::string::npos);
  EXPECT_NE(run.out.find("records that do not open: 9"), std::string::npos);

  // list reports the damaged record and still shows the others.
  CliRun list = OnStore({"list"});
  EXPECT_EQ(list.exit_code, 5);
  EXPECT_NE(list.out.find("23 records"), std::string::npos);

  // An index key rotation skips the damaged record, says so on stderr,
  // and finishes.
  CliRun rotate = OnStore({"rotate-key", "--index"});
  EXPECT_EQ(rotate.exit_code, 0) << rotate.err;
  EXPECT_NE(rotate.out.find("indexed 23 records"), std::string::npos)
      << rotate.out;
  EXPECT_NE(rotate.err.find("WARNING: index key rotation"), std::string::npos)
      << rotate.err;
  EXPECT_NE(rotate.err.find("record id '9'"), std::string::npos) << rotate.err;
  EXPECT_NE(OnStore({"stats"}).out.find("index key pending       0"),
            std::string::npos);
}

TEST_F(OperatorTest, BackupAndRestoreGiveAVerifiedCopy) {
  ASSERT_EQ(OnStore({"import", Shared("sdk_tokens.txt")}).exit_code, 0);
  const std::string backup = dir_.Sub("backup");
  ASSERT_EQ(OnStore({"backup", backup}).exit_code, 0);
  EXPECT_EQ(ModeOf(backup + "/data.mdb"), 0600u);

  // Restore with the right key; the copy lists the same records.
  const std::string restored = dir_.Sub("restored");
  CliRun run =
      Run({"restore", "--store", restored, "--key-file", Key(), backup});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("restored 24 records"), std::string::npos);
  CliRun original = RunInProcess(
      {"list", "--reveal", "--store", Store(), "--key-file", Key()});
  CliRun copy = RunInProcess(
      {"list", "--reveal", "--store", restored, "--key-file", Key()});
  EXPECT_EQ(copy.out, original.out);

  // With another key the restore fails and leaves nothing behind.
  ASSERT_EQ(Run({"init", "--store", dir_.Sub("other")}).exit_code, 0);
  const std::string wrong = dir_.Sub("wrong");
  CliRun refused = Run({"restore", "--store", wrong, "--key-file",
                        dir_.Sub("other.key"), backup});
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_FALSE(std::filesystem::exists(wrong));

  // Not over a store that exists.
  EXPECT_EQ(Run({"restore", "--store", restored, "--key-file", Key(), backup})
                .exit_code,
            3);
}

TEST_F(OperatorTest, PurgeExpiredDeletesExactlyTheExpired) {
  ASSERT_EQ(OnStore({"import", Shared("sdk_tokens_10k.txt")}).exit_code, 0);
  auto rows = tools::ReadSdkCsvFile(Shared("sdk_tokens_10k.txt"));
  ASSERT_TRUE(rows.ok());
  const uint64_t before = 1796400000000;
  size_t expired = 0;
  for (const auto& row : *rows) {
    auto expiry = ParseExpiryMs(row.token.view(Field::kExpiryTime));
    if (expiry && *expiry < before) ++expired;
  }
  ASSERT_GT(expired, 1000u);  // More than one batch of 1000.

  CliRun run = OnStore(
      {"purge-expired", "--before", std::to_string(before), "--batch", "700"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("purged " + std::to_string(expired) + " records"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(RecordCount(), rows->size() - expired);
  EXPECT_EQ(OnStore({"verify"}).exit_code, 0);
  EXPECT_EQ(OnStore({"purge-expired", "--before", "soon"}).exit_code, 2);
}

TEST_F(OperatorTest, DeleteUserTakesTheNameFromStdin) {
  const std::string file = dir_.Sub("users.txt");
  std::ofstream(file) << "id,user_name,client_id,client_secret,"
                         "refresh_token,access_token,grant_token,"
                         "expiry_time,redirect_uri,api_domain\n"
                         "1,gone@x.com:1,,,R1,,,,,\n"
                         "2,kept@x.com:1,,,R2,,,,,\n"
                         "3,gone@x.com:1,,,R3,,,,,\n";
  ASSERT_EQ(OnStore({"import", file}).exit_code, 0);
  CliRun run = OnStore({"delete-user"}, "gone@x.com:1\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("deleted 2 records"), std::string::npos);
  EXPECT_EQ(run.out.find("gone@x.com:1"), std::string::npos);
  EXPECT_EQ(RecordCount(), 1u);
  EXPECT_EQ(OnStore({"delete-user"}, "gone@x.com:1\n").exit_code, 1);
  EXPECT_EQ(OnStore({"delete-user", "kept@x.com:1"}).exit_code, 2);
  EXPECT_EQ(OnStore({"delete-user"}, "").exit_code, 2);
}

TEST_F(OperatorTest, RootKeyRotationSwapsTheKeyThatOpens) {
  ASSERT_EQ(OnStore({"import", Shared("sdk_tokens.txt")}).exit_code, 0);
  const std::string new_key = dir_.Sub("new.key");
  CliRun run = OnStore({"rotate-key", "--root", "--new-key-file", new_key});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(ModeOf(new_key), 0600u);
  EXPECT_EQ(OnStore({"stats"}).exit_code, 4);
  CliRun verify = OnStore({"verify", "--key-file", new_key});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
}

TEST_F(OperatorTest, DataAndIndexKeyRotationKeepEveryRecordFindable) {
  ASSERT_EQ(OnStore({"import", Shared("sdk_tokens.txt")}).exit_code, 0);
  CliRun data = OnStore({"rotate-key", "--data", "--batch", "7"});
  ASSERT_EQ(data.exit_code, 0) << data.err;
  EXPECT_NE(data.out.find("re-sealed 24 records"), std::string::npos);
  CliRun index = OnStore({"rotate-key", "--index", "--batch", "5"});
  ASSERT_EQ(index.exit_code, 0) << index.err;
  EXPECT_NE(index.out.find("indexed 24 records"), std::string::npos)
      << index.out;
  EXPECT_EQ(OnStore({"verify"}).exit_code, 0);
  CliRun stats = OnStore({"stats"});
  EXPECT_NE(stats.out.find("active data key id      2"), std::string::npos)
      << stats.out;
  EXPECT_NE(stats.out.find("data keys               1"), std::string::npos)
      << stats.out;
  EXPECT_NE(stats.out.find("index key pending       0"), std::string::npos)
      << stats.out;
  auto rows = tools::ReadSdkCsvFile(Shared("sdk_tokens.txt"));
  ASSERT_TRUE(rows.ok());
  for (const auto& row : *rows) {
    if (!row.token.has(Field::kAccessToken)) continue;
    CliRun find =
        OnStore({"find", "--access"},
                std::string(row.token.view(Field::kAccessToken)) + "\n");
    EXPECT_EQ(find.exit_code, 0) << row.token.id();
  }
  EXPECT_EQ(OnStore({"rotate-key", "--data", "--index"}).exit_code, 2);
}

TEST_F(OperatorTest, PassphraseStoreOpensOnlyWithItsPassphrase) {
  // The passphrase is the first input line; the command's input follows.
  const std::string store = dir_.Sub("phrase");
  CliRun init = Run({"init", "--store", store, "--passphrase"},
                    "correct horse battery\n");
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_FALSE(std::filesystem::exists(store + ".key"));
  CliRun import = Run(
      {"import", "--store", store, "--passphrase", Shared("sdk_tokens.txt")},
      "correct horse battery\n");
  ASSERT_EQ(import.exit_code, 0) << import.err;
  auto rows = tools::ReadSdkCsvFile(Shared("sdk_tokens.txt"));
  ASSERT_TRUE(rows.ok());
  CliRun find =
      Run({"find", "--store", store, "--passphrase", "--access"},
          "correct horse battery\n" +
              std::string((*rows)[3].token.view(Field::kAccessToken)) + "\n");
  EXPECT_EQ(find.exit_code, 0) << find.err;
  EXPECT_NE(find.out.find("found id 4 "), std::string::npos);

  // A wrong passphrase is WRONG_KEY; a key file does not open it.
  CliRun wrong = Run({"stats", "--store", store, "--passphrase"},
                     "correct horse battery staple\n");
  EXPECT_EQ(wrong.exit_code, 4);
  EXPECT_NE(wrong.err.find("WRONG_KEY"), std::string::npos);
  EXPECT_EQ(wrong.err.find("correct horse"), std::string::npos);
  EXPECT_EQ(Run({"stats", "--store", store, "--key-file", Key()}).exit_code, 4);
  EXPECT_EQ(Run({"stats", "--store", store, "--passphrase"}, "").exit_code, 2);
}

TEST_F(OperatorTest, PassphraseStoreRotatesDataAndIndexKeys) {
  // Step 1: a passphrase store with the sample rows.
  const std::string store = dir_.Sub("phrase");
  const std::string phrase = "correct horse battery\n";
  ASSERT_EQ(Run({"init", "--store", store, "--passphrase"}, phrase).exit_code,
            0);
  ASSERT_EQ(Run({"import", "--store", store, "--passphrase",
                 Shared("sdk_tokens.txt")},
                phrase)
                .exit_code,
            0);

  // Step 2: both rotations with the passphrase alone.
  CliRun data = Run({"rotate-key", "--store", store, "--passphrase", "--data",
                     "--batch", "5"},
                    phrase);
  ASSERT_EQ(data.exit_code, 0) << data.err;
  EXPECT_NE(data.out.find("re-sealed 24 records"), std::string::npos);
  CliRun index =
      Run({"rotate-key", "--store", store, "--passphrase", "--index"}, phrase);
  ASSERT_EQ(index.exit_code, 0) << index.err;

  // Step 3: the same passphrase still opens it, it verifies clean and
  // finds by access token through the new index key.
  CliRun verify = Run({"verify", "--store", store, "--passphrase"}, phrase);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  auto rows = tools::ReadSdkCsvFile(Shared("sdk_tokens.txt"));
  ASSERT_TRUE(rows.ok());
  CliRun find = Run(
      {"find", "--store", store, "--passphrase", "--access"},
      phrase + std::string((*rows)[3].token.view(Field::kAccessToken)) + "\n");
  EXPECT_EQ(find.exit_code, 0) << find.err;
  EXPECT_NE(find.out.find("found id 4 "), std::string::npos);
  CliRun stats = Run({"stats", "--store", store, "--passphrase"}, phrase);
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
}

TEST_F(OperatorTest, BatchedImportResumesAfterAFailedBatch) {
  // A store already holding access token A-25; the source's line 26 has it.
  const std::string header =
      "id,user_name,client_id,client_secret,refresh_token,access_token,"
      "grant_token,expiry_time,redirect_uri,api_domain\n";
  const std::string held = dir_.Sub("held.txt");
  std::ofstream(held) << header << "500,,,,,A-25,,,,\n";
  ASSERT_EQ(OnStore({"import", held}).exit_code, 0);
  auto source = [&](const std::string& token25) {
    std::string text = header;
    for (int i = 1; i <= 30; ++i) {
      text += std::to_string(i) + ",u" + std::to_string(i) + "@x.com:1,,,R-" +
              std::to_string(i) + "," +
              (i == 25 ? token25 : "A-" + std::to_string(i)) + ",,,,\n";
    }
    return text;
  };
  const std::string file = dir_.Sub("batched.txt");
  std::ofstream(file, std::ios::trunc) << source("A-25");

  // Batches of 10: the third fails, naming the line and what went in.
  CliRun failed = OnStore({"import", "--batch", "10", file});
  EXPECT_EQ(failed.exit_code, 3);
  EXPECT_NE(failed.err.find("line 26: access_token already belongs"),
            std::string::npos)
      << failed.err;
  EXPECT_NE(failed.err.find("the 20 records before its batch were imported"),
            std::string::npos);
  EXPECT_EQ(RecordCount(), 21u);

  // Fixed source, --resume: the first 20 are recognised and skipped.
  std::ofstream(file, std::ios::trunc) << source("A-25-new");
  CliRun resumed = OnStore({"import", "--batch", "10", "--resume", file});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("imported 10 records"), std::string::npos)
      << resumed.out;
  EXPECT_NE(resumed.out.find("20 already imported"), std::string::npos);
  EXPECT_EQ(RecordCount(), 31u);
  EXPECT_EQ(OnStore({"verify"}).exit_code, 0);

  // A row whose id is there with other fields is no resume: it fails.
  std::ofstream(file, std::ios::trunc) << source("A-25-other");
  CliRun clash = OnStore({"import", "--batch", "10", "--resume", file});
  EXPECT_EQ(clash.exit_code, 3);
  EXPECT_NE(clash.err.find("line 26: record id '25' already exists"),
            std::string::npos)
      << clash.err;
  EXPECT_EQ(RecordCount(), 31u);
}

TEST_F(OperatorTest, EveryCommandHasHelp) {
  for (const char* command : {"init", "import", "export", "find", "get", "list",
                              "delete", "delete-user", "purge-expired", "stats",
                              "verify", "backup", "restore", "rotate-key"}) {
    CliRun run = Run({command, "--help"});
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_NE(run.out.find(std::string("usage: tks ") + command),
              std::string::npos)
        << command;
  }
}

}  // namespace
}  // namespace tks::testing

// Promise 6 and the CLI parts of promise 7 (DESIGN §5, §7, issue #6): the
// tks binary never shows a secret it was not asked to reveal. Every user
// name, client secret, token and passphrase is a unique random canary;
// every command runs (with --help), and so do the error paths: wrong key,
// wrong passphrase, records damaged with the test hooks, bad arguments,
// conflicts and malformed import rows holding canaries. Then stdout,
// stderr, every export without --reveal, every backup, data and lock
// file are scanned for each canary raw, hex and base64: zero hits. The
// exports made with --reveal must hold the canaries (the scan can fail).
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "canary.h"
#include "cli_harness.h"
#include "reliability_support.h"
#include "tokenstore/admin_testing.h"

namespace tks::reliability {
namespace {

using testing::CliRun;

constexpr char kHeader[] =
    "id,user_name,client_id,client_secret,refresh_token,access_token,"
    "grant_token,expiry_time,redirect_uri,api_domain\r\n";
constexpr char kClientId[] = "1000.CLIENT";
constexpr char kFuture[] = "4102444800000";

// One record of canaries, as it goes into an SDK token file.
struct CanaryRecord {
  std::string id, user, secret, refresh, access, grant, expiry = kFuture;

  std::string CsvLine() const {
    return id + "," + user + "," + kClientId + "," + secret + "," + refresh +
           "," + access + "," + grant + "," + expiry +
           ",https://app.example.com/cb,https://www.zohoapis.com\r\n";
  }
};

class CliLeakTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("TKS_ROOT_KEY");
    ::unsetenv("TKS_STORE");
    store_ = dir_.Sub("store");
    key_ = dir_.Sub("store.key");
  }

  std::string Canary() {
    canaries_.push_back(RandomCanary(rng_));
    return canaries_.back();
  }

  CanaryRecord Record(const std::string& id) {
    CanaryRecord record;
    record.id = id;
    record.user = Canary() + "@example.com";
    record.secret = Canary();
    record.refresh = "1000." + Canary();
    record.access = "1000." + Canary();
    record.grant = "1000." + Canary();
    return record;
  }

  // An input file the test writes (plaintext on purpose: not scanned).
  std::string Input(const std::string& name, const std::string& text) {
    const std::string path = dir_.Sub(name);
    std::ofstream(path, std::ios::binary) << text;
    not_scanned_.insert(path);
    return path;
  }

  // Runs the binary; both streams join the scan, labelled by the command.
  CliRun Tks(const std::vector<std::string>& args,
             const std::string& input = "") {
    CliRun run = testing::RunBinary(TKS_CLI_BINARY, args, input, scratch_);
    std::string label = "tks";
    for (const std::string& arg : args) label += " " + arg;
    outputs_.push_back({label + " (stdout)", run.out});
    outputs_.push_back({label + " (stderr)", run.err});
    return run;
  }

  // A command on the main store with its current key file.
  CliRun OnStore(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin() + 1, {"--store", store_, "--key-file", key_});
    return Tks(args, input);
  }

  void RunEveryCommand();
  void RunErrorPaths();
  void DamageAndRunAgain();
  int ScanEverything();

  testing::TempDir dir_;
  testing::TempDir scratch_;  // stdin/stdout/stderr files: stdin is input
  std::string store_;
  std::string key_;
  std::mt19937_64 rng_{std::random_device{}()};
  std::vector<std::string> canaries_;
  std::vector<CanaryRecord> records_;
  std::set<std::string> not_scanned_;
  std::vector<std::pair<std::string, std::string>> outputs_;
};

void CliLeakTest::RunEveryCommand() {
  // Step 1: a store, six canary records from an SDK token file (record 4
  // expired), three more from a SQLite file made by a second store.
  ASSERT_EQ(Tks({"init", "--store", store_}).exit_code, 0);
  std::string csv = kHeader;
  for (int id = 1; id <= 6; ++id) {
    records_.push_back(Record(std::to_string(id)));
    if (id == 4) records_.back().expiry = "1000";
    csv += records_.back().CsvLine();
  }
  CliRun import = OnStore({"import", Input("a.csv", csv)});
  ASSERT_EQ(import.exit_code, 0) << import.err;
  const std::string other = dir_.Sub("other");
  ASSERT_EQ(Tks({"init", "--store", other}).exit_code, 0);
  std::string other_csv = kHeader;
  for (int id = 101; id <= 103; ++id) {
    records_.push_back(Record(std::to_string(id)));
    other_csv += records_.back().CsvLine();
  }
  ASSERT_EQ(
      Tks({"import", "--store", other, Input("b.csv", other_csv)}).exit_code,
      0);
  const std::string revealed_db = dir_.Sub("revealed.db");
  not_scanned_.insert(revealed_db);
  ASSERT_EQ(
      Tks({"export", "--store", other, "--reveal", revealed_db}).exit_code, 0);
  ASSERT_EQ(OnStore({"import", "--from", "sqlite", revealed_db}).exit_code, 0);

  // Step 2: the positive control: exports with --reveal hold the canaries.
  const std::string revealed_csv = dir_.Sub("revealed.csv");
  not_scanned_.insert(revealed_csv);
  ASSERT_EQ(OnStore({"export", "--reveal", revealed_csv}).exit_code, 0);
  const std::string plain = ReadFile(revealed_csv);
  for (const CanaryRecord& record : records_) {
    for (const std::string* value :
         {&record.user, &record.secret, &record.refresh, &record.access,
          &record.grant}) {
      EXPECT_NE(plain.find(*value), std::string::npos) << "export --reveal";
    }
  }
  EXPECT_GE(CountCanaryHits(canaries_, ReadFile(revealed_db)), 5 * 3);
  CliRun shown = testing::RunBinary(
      TKS_CLI_BINARY,
      {"get", "--store", store_, "--key-file", key_, "--reveal", "5"}, "",
      scratch_);
  EXPECT_GE(CountCanaryHits(canaries_, shown.out), 5) << "get --reveal";

  // Step 3: exports without --reveal, finds by every rule, reads.
  EXPECT_EQ(OnStore({"export", dir_.Sub("export.csv")}).exit_code, 0);
  EXPECT_EQ(
      OnStore({"export", "--to", "sqlite", dir_.Sub("export.db")}).exit_code,
      0);
  const CanaryRecord& r1 = records_[0];
  EXPECT_EQ(OnStore({"find", "--user"}, r1.user + "\n").exit_code, 0);
  EXPECT_EQ(OnStore({"find", "--access"}, r1.access + "\n").exit_code, 0);
  EXPECT_EQ(OnStore({"find", "--refresh", "--client-id", kClientId},
                    r1.refresh + "\n" + r1.secret + "\n")
                .exit_code,
            0);
  EXPECT_EQ(OnStore({"find", "--grant", "--client-id", kClientId},
                    r1.grant + "\n" + r1.secret + "\n")
                .exit_code,
            0);
  EXPECT_EQ(OnStore({"find", "--id", "--repeat", "3"}, "101\n").exit_code, 0);
  EXPECT_EQ(OnStore({"find", "--user"}, Canary() + "\n").exit_code, 1);
  EXPECT_EQ(OnStore({"get", "5"}).exit_code, 0);
  EXPECT_EQ(OnStore({"list"}).exit_code, 0);
  EXPECT_EQ(OnStore({"stats"}).exit_code, 0);
  EXPECT_EQ(OnStore({"verify"}).exit_code, 0);

  // Step 4: deletes and purge.
  EXPECT_EQ(OnStore({"delete", "2"}).exit_code, 0);
  EXPECT_EQ(OnStore({"delete-user"}, records_[2].user + "\n").exit_code, 0);
  EXPECT_EQ(OnStore({"purge-expired", "--before", "2000000000000"}).exit_code,
            0);

  // Step 5: backup and restore, then every key rotation.
  const std::string backup = dir_.Sub("backup");
  EXPECT_EQ(OnStore({"backup", backup}).exit_code, 0);
  EXPECT_EQ(Tks({"restore", "--store", dir_.Sub("restored"), "--key-file", key_,
                 backup})
                .exit_code,
            0);
  const std::string new_key = dir_.Sub("store.new.key");
  EXPECT_EQ(
      OnStore({"rotate-key", "--root", "--new-key-file", new_key}).exit_code,
      0);
  key_ = new_key;
  EXPECT_EQ(OnStore({"rotate-key", "--data"}).exit_code, 0);
  EXPECT_EQ(OnStore({"rotate-key", "--index"}).exit_code, 0);
  EXPECT_EQ(OnStore({"verify"}).exit_code, 0);

  // Step 6: the help of tks and of every command.
  EXPECT_EQ(Tks({"--help"}).exit_code, 0);
  for (const char* command : {"init", "import", "export", "find", "get", "list",
                              "delete", "delete-user", "purge-expired", "stats",
                              "verify", "backup", "restore", "rotate-key"}) {
    EXPECT_EQ(Tks({command, "--help"}).exit_code, 0) << command;
  }
}

void CliLeakTest::RunErrorPaths() {
  // Step 1: a wrong key file, a wrong key in the environment.
  const std::string stranger = dir_.Sub("stranger");
  ASSERT_EQ(Tks({"init", "--store", stranger}).exit_code, 0);
  EXPECT_EQ(Tks({"list", "--store", store_, "--key-file", stranger + ".key"})
                .exit_code,
            4);
  ::setenv("TKS_REL_WRONG_KEY", std::string(64, 'a').c_str(), 1);
  EXPECT_EQ(Tks({"find", "--store", store_, "--key-env", "TKS_REL_WRONG_KEY",
                 "--user"},
                records_[0].user + "\n")
                .exit_code,
            4);
  ::unsetenv("TKS_REL_WRONG_KEY");

  // Step 2: a passphrase store (the passphrases are canaries too), opened
  // with the right and then a wrong passphrase.
  const std::string locked = dir_.Sub("locked");
  const std::string phrase = Canary();
  ASSERT_EQ(
      Tks({"init", "--store", locked, "--passphrase"}, phrase + "\n").exit_code,
      0);
  CanaryRecord guarded = Record("7");
  EXPECT_EQ(Tks({"import", "--store", locked, "--passphrase",
                 Input("c.csv", std::string(kHeader) + guarded.CsvLine())},
                phrase + "\n")
                .exit_code,
            0);
  EXPECT_EQ(Tks({"list", "--store", locked, "--passphrase"}, Canary() + "\n")
                .exit_code,
            4);

  // Step 3: conflicts: ids and tokens already in the store, an export
  // onto an existing file.
  CanaryRecord clash = Record("50");
  clash.refresh = records_[0].refresh;
  EXPECT_EQ(OnStore({"import", Input("clash.csv",
                                     std::string(kHeader) + clash.CsvLine())})
                .exit_code,
            3);
  CanaryRecord same_id = Record("1");
  EXPECT_EQ(OnStore({"import", Input("same-id.csv",
                                     std::string(kHeader) + same_id.CsvLine())})
                .exit_code,
            3);
  EXPECT_NE(OnStore({"export", dir_.Sub("export.csv")}).exit_code, 0);

  // Step 4: malformed rows holding canaries: a short row, an open quote,
  // an oversize field, a bad expiry next to good fields.
  CanaryRecord bad = Record("60");
  std::string huge;
  while (huge.size() <= 16384) huge += bad.access;
  const std::vector<std::string> malformed = {
      "61," + Canary() + "," + Canary() + "\r\n",
      "62,\"" + Canary() + "," + Canary() + "\r\n",
      "63," + bad.user + "," + kClientId + "," + bad.secret + "," + huge +
          ",,,,,\r\n",
      "64," + Canary() + ",a\"b" + Canary() + ",,,,,,,\r\n"};
  for (size_t i = 0; i < malformed.size(); ++i) {
    const std::string file =
        Input("malformed" + std::to_string(i) + ".csv", kHeader + malformed[i]);
    EXPECT_EQ(OnStore({"import", file}).exit_code, 3) << i;
  }

  // Step 5: bad arguments, including a secret given where none belongs.
  const std::string stray = Canary();
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"find"},
           {"find", "--user", stray},
           {"get"},
           {"get", "no such id"},
           {"delete", "999"},
           {"list", "--bogus"},
           {"export"},
           {"import", "--batch", "0", dir_.Sub("a.csv")},
           {"rotate-key"}}) {
    const int code = OnStore(args, stray + "\n").exit_code;
    EXPECT_NE(code, 0) << args[0];
  }
  EXPECT_NE(OnStore({"find", "--user"}, "\n").exit_code, 0);
  EXPECT_EQ(Tks({"frobnicate"}).exit_code, 2);
}

void CliLeakTest::DamageAndRunAgain() {
  // Step 1: damage with the test hooks: a flipped record byte, an index
  // entry that points to a record holding another value.
  {
    Options options;
    options.path = store_;
    options.root_key.key_file = key_;
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE(testing_hooks::DamageStore(
                    **store, testing_hooks::Damage::kFlipRecordByte, "1")
                    .ok());
    ASSERT_TRUE(testing_hooks::DamageStore(
                    **store, testing_hooks::Damage::kAddOrphanIndexEntry, "5",
                    Field::kUserName)
                    .ok());
  }

  // Step 2: every reading command meets the damage.
  EXPECT_EQ(OnStore({"verify"}).exit_code, 5);
  EXPECT_EQ(OnStore({"get", "1"}).exit_code, 5);
  EXPECT_EQ(OnStore({"find", "--user"}, records_[0].user + "\n").exit_code, 5);
  EXPECT_NE(OnStore({"list"}).exit_code, 0);
  EXPECT_NE(OnStore({"export", dir_.Sub("damaged.csv")}).exit_code, 0);
  OnStore({"backup", dir_.Sub("damaged-backup")});
  EXPECT_EQ(OnStore({"stats"}).exit_code, 0);
  EXPECT_EQ(OnStore({"get", "5"}).exit_code, 0);
}

// Scans every output and every file under dir_ but the inputs and the
// revealed exports; returns how many files were scanned.
int CliLeakTest::ScanEverything() {
  uint64_t bytes = 0;
  for (const auto& [where, text] : outputs_) {
    std::string first;
    EXPECT_EQ(CountCanaryHits(canaries_, text, &first), 0)
        << where << " shows " << first << ":\n"
        << text;
    bytes += text.size();
  }
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir_.path())) {
    const std::string path = entry.path().string();
    if (!entry.is_regular_file() || not_scanned_.count(path)) continue;
    const std::string content = ReadFile(path);
    std::string first;
    EXPECT_EQ(CountCanaryHits(canaries_, content, &first), 0)
        << path << " holds " << first;
    bytes += content.size();
    ++files;
  }
  Figure("cli_runs_scanned", outputs_.size() / 2);
  Figure("cli_files_scanned", files);
  Figure("cli_bytes_scanned", bytes);
  Figure("cli_canaries", canaries_.size());
  return files;
}

TEST_F(CliLeakTest, NoCanaryInAnyOutputOrFileOfAnyCommand) {
  RunEveryCommand();
  ASSERT_FALSE(HasFatalFailure());
  RunErrorPaths();
  ASSERT_FALSE(HasFatalFailure());
  DamageAndRunAgain();
  ASSERT_FALSE(HasFatalFailure());

  // The scan covers the stores, backups and exports, and it sees a canary
  // that is there in any of the encodings it claims to.
  for (const char* file :
       {"store/data.mdb", "store/lock.mdb", "backup/data.mdb",
        "restored/data.mdb", "export.csv", "export.db", "locked/data.mdb"}) {
    EXPECT_TRUE(std::filesystem::exists(dir_.Sub(file))) << file;
  }
  EXPECT_GE(ScanEverything(), 7);
  EXPECT_GT(CountCanaryHits(canaries_, Hex(canaries_[3], false)), 0);
  EXPECT_GT(CountCanaryHits(canaries_, Base64("x" + canaries_[4], false)), 0);
}

}  // namespace
}  // namespace tks::reliability

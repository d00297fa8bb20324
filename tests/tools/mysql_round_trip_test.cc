// tks import/export against a live MariaDB server (.ci/start-mariadb).
// Without TKS_MYSQL_SOCKET the tests skip with a message, except in CI
// (CI set), where a missing server is a failure.
#include <gtest/gtest.h>
#include <mysql.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "cli_harness.h"
#include "tokenstore/tools/mysql_table.h"

namespace tks::testing {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

class MysqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A server, or a visible skip.
    if (Env("TKS_MYSQL_SOCKET").empty()) {
      if (!Env("CI").empty()) {
        FAIL() << "CI needs a MariaDB server: eval \"$(.ci/start-mariadb)\"";
      }
      GTEST_SKIP() << "no MariaDB server (TKS_MYSQL_SOCKET unset); start "
                      "one with: eval \"$(.ci/start-mariadb)\"";
    }
    ::unsetenv("TKS_ROOT_KEY");
    ::unsetenv("TKS_STORE");
    auto rows = tools::ReadSdkCsvFile(std::string(TKS_SHARED_DATA_DIR) +
                                      "/sdk_tokens.txt");
    ASSERT_TRUE(rows.ok());
    for (auto& row : *rows) sample_.push_back(std::move(row.token));
    secrets_ = SecretValues(*rows);
  }

  void TearDown() override {
    if (Env("TKS_MYSQL_SOCKET").empty()) return;
    for (const std::string& table : tables_) {
      Sql("DROP TABLE IF EXISTS `" + table + "`");
    }
  }

  // A table name of this test process, dropped at the end.
  std::string NewTable() {
    tables_.push_back("t" + std::to_string(::getpid()) + "_" +
                      std::to_string(tables_.size()));
    return tables_.back();
  }

  tools::MysqlTarget Target(const std::string& table) const {
    tools::MysqlTarget target;
    target.socket = Env("TKS_MYSQL_SOCKET");
    target.user = Env("TKS_MYSQL_USER");
    target.database = Env("TKS_MYSQL_DATABASE").empty()
                          ? "zohooauth"
                          : Env("TKS_MYSQL_DATABASE");
    target.password = crypto::SecretString(Env("TKS_MYSQL_PASSWORD"));
    target.table = table;
    return target;
  }

  // The connection flags for tks.
  std::vector<std::string> Flags(const std::string& table) const {
    tools::MysqlTarget target = Target(table);
    return {"--socket",   target.socket,   "--db-user", target.user,
            "--database", target.database, "--table",   table};
  }

  void Sql(const std::string& sql) {
    tools::MysqlTarget target = Target("x");
    MYSQL* conn = mysql_init(nullptr);
    ASSERT_NE(mysql_real_connect(
                  conn, nullptr, target.user.c_str(), target.password.c_str(),
                  target.database.c_str(), 0, target.socket.c_str(), 0),
              nullptr);
    EXPECT_EQ(mysql_query(conn, sql.c_str()), 0) << mysql_error(conn);
    mysql_close(conn);
  }

  CliRun Tks(std::vector<std::string> args, const std::string& table) {
    for (const std::string& flag : Flags(table)) args.push_back(flag);
    CliRun run = RunInProcess(args);
    EXPECT_EQ(FirstLeak(run.out, secrets_), "") << run.out;
    EXPECT_EQ(FirstLeak(run.err, secrets_), "") << run.err;
    return run;
  }

  std::map<std::string, Token> ById(const std::string& table) {
    auto rows = tools::ReadMysqlTable(Target(table));
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::map<std::string, Token> by_id;
    if (rows.ok()) {
      for (auto& row : *rows) {
        by_id.emplace(std::string(row.token.id()), std::move(row.token));
      }
    }
    return by_id;
  }

  // A table holding the 24 sample rows, written by the library.
  std::string SeededTable() {
    const std::string table = NewTable();
    size_t next = 0;
    auto written = tools::WriteMysqlTable(
        Target(table), true, [&]() -> Result<std::optional<Token>> {
          if (next == sample_.size()) return std::optional<Token>();
          return std::optional<Token>(sample_[next++]);
        });
    EXPECT_TRUE(written.ok()) << written.status().ToString();
    return table;
  }

  TempDir dir_;
  std::vector<Token> sample_;
  std::vector<std::string> secrets_;
  std::vector<std::string> tables_;
};

TEST_F(MysqlTest, RoundTripThroughTheStoreKeepsEveryField) {
  // MySQL -> store -> MySQL.
  const std::string source = SeededTable();
  const std::string store = dir_.Sub("store");
  ASSERT_EQ(RunInProcess({"init", "--store", store}).exit_code, 0);
  CliRun import = Tks({"import", "--store", store, "--from", "mysql"}, source);
  ASSERT_EQ(import.exit_code, 0) << import.err;
  EXPECT_NE(import.out.find("imported 24 records"), std::string::npos);
  const std::string target = NewTable();
  CliRun out =
      Tks({"export", "--store", store, "--to", "mysql", "--reveal"}, target);
  ASSERT_EQ(out.exit_code, 0) << out.err;

  // Every row equal, by id, to the sample file's.
  auto copy = ById(target);
  ASSERT_EQ(copy.size(), sample_.size());
  for (const Token& token : sample_) {
    auto it = copy.find(std::string(token.id()));
    ASSERT_NE(it, copy.end()) << token.id();
    EXPECT_TRUE(it->second.SameFields(token)) << token.id();
  }
}

TEST_F(MysqlTest, RedactedExportHoldsNoSecret) {
  const std::string store = dir_.Sub("store");
  ASSERT_EQ(RunInProcess({"init", "--store", store}).exit_code, 0);
  ASSERT_EQ(RunInProcess({"import", "--store", store,
                          std::string(TKS_SHARED_DATA_DIR) + "/sdk_tokens.txt"})
                .exit_code,
            0);
  const std::string table = NewTable();
  ASSERT_EQ(Tks({"export", "--store", store, "--to", "mysql"}, table).exit_code,
            0);
  for (const auto& [id, token] : ById(table)) {
    for (Field field : kAllFields) {
      if (!IsSecretField(field) || !token.has(field)) continue;
      EXPECT_EQ(FirstLeak(std::string(token.view(field)), secrets_), "") << id;
    }
  }
}

TEST_F(MysqlTest, BadTablesFailClearlyAndChangeNothing) {
  const std::string store = dir_.Sub("store");
  ASSERT_EQ(RunInProcess({"init", "--store", store}).exit_code, 0);

  // Not the SDK schema.
  const std::string other = NewTable();
  Sql("CREATE TABLE `" + other + "` (id varchar(10), token text)");
  CliRun schema = Tks({"import", "--store", store, "--from", "mysql"}, other);
  EXPECT_EQ(schema.exit_code, 3);
  EXPECT_NE(schema.err.find("not an SDK token table"), std::string::npos)
      << schema.err;

  // No such table; a name that is not an identifier.
  CliRun missing =
      Tks({"import", "--store", store, "--from", "mysql"}, "absent_table");
  EXPECT_NE(missing.err.find("no table 'absent_table'"), std::string::npos)
      << missing.err;
  CliRun bad =
      Tks({"import", "--store", store, "--from", "mysql"}, "x`; DROP TABLE y");
  EXPECT_EQ(bad.exit_code, 3);

  // Export into a table that holds rows is refused.
  const std::string full = SeededTable();
  CliRun into_full =
      Tks({"export", "--store", store, "--to", "mysql", "--reveal"}, full);
  EXPECT_EQ(into_full.exit_code, 3);
  EXPECT_NE(into_full.err.find("already holds rows"), std::string::npos);
  EXPECT_EQ(ById(full).size(), 24u);

  CliRun stats = RunInProcess({"stats", "--store", store});
  EXPECT_NE(stats.out.find("records                 0"), std::string::npos);
}

}  // namespace
}  // namespace tks::testing

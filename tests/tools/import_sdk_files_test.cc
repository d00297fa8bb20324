// `tks import` of the shared SDK sample files: every row is found again by
// each of its find paths with identical field values.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "cli_harness.h"

namespace tks::testing {
namespace {

// Client credentials for rows that have none: rule 3 only needs them
// present; they are not compared.
constexpr char kAnyClientId[] = "1000.ANYCLIENT";
constexpr char kAnyClientSecret[] = "any-secret";

std::string SharedFile(const std::string& name) {
  return std::string(TKS_SHARED_DATA_DIR) + "/" + name;
}

// Creates a store with the CLI and imports `file` into it with the CLI.
void InitAndImport(const TempDir& dir, const std::string& file) {
  const std::string store = dir.Sub("store");
  CliRun init = RunInProcess({"init", "--store", store});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  CliRun import = RunInProcess({"import", "--store", store, file});
  ASSERT_EQ(import.exit_code, 0) << import.err;
}

std::unique_ptr<Store> OpenImported(const TempDir& dir) {
  Options options;
  options.path = dir.Sub("store");
  options.create_if_missing = false;
  options.root_key.key_file = dir.Sub("store.key");
  return OpenOrDie(options);
}

// The found record has the row's id and fields; fields the query set
// from outside the row are left out of the comparison.
void ExpectRow(const Result<std::optional<Token>>& found, const Token& row,
               const Token& query, const std::string& path) {
  ASSERT_TRUE(found.ok()) << path << ": " << found.status().ToString();
  ASSERT_TRUE(found->has_value()) << path << " missed id " << row.id();
  Token got = found.value().value();
  for (Field field : {Field::kClientId, Field::kClientSecret}) {
    if (!row.has(field) && query.has(field)) got.clear(field);
  }
  EXPECT_TRUE(got.SameFields(row)) << path << " id " << row.id();
  EXPECT_EQ(got.id(), row.id()) << path;
}

// Sets the row's own client credentials, or stand-ins when it has none.
void AddClientCredentials(const Token& row, Token& query) {
  query.set(Field::kClientId, row.has(Field::kClientId)
                                  ? row.view(Field::kClientId)
                                  : kAnyClientId);
  query.set(Field::kClientSecret, row.has(Field::kClientSecret)
                                      ? row.view(Field::kClientSecret)
                                      : kAnyClientSecret);
}

void ExpectEveryRowFound(const Store& store,
                         const std::vector<tools::SdkRow>& rows) {
  std::set<std::string> users_seen;
  for (const tools::SdkRow& sdk_row : rows) {
    const Token& row = sdk_row.token;

    // By id.
    auto by_id = store.FindTokenById(row.id());
    ASSERT_TRUE(by_id.ok()) << "id " << row.id();
    EXPECT_TRUE(by_id->SameFields(row)) << "id " << row.id();

    // By user name, where this row is the first with that name.
    if (row.has(Field::kUserName) &&
        users_seen.insert(std::string(row.view(Field::kUserName))).second) {
      Token query = MakeToken(
          {{Field::kUserName, std::string(row.view(Field::kUserName))}});
      ExpectRow(store.FindToken(query), row, query, "user");
    }

    // By access token, without client credentials.
    if (row.has(Field::kAccessToken)) {
      Token query = MakeToken(
          {{Field::kAccessToken, std::string(row.view(Field::kAccessToken))}});
      ExpectRow(store.FindToken(query), row, query, "access");
    }

    // By refresh and by grant token, with client credentials.
    if (row.has(Field::kRefreshToken)) {
      Token query = MakeToken({{Field::kRefreshToken,
                                std::string(row.view(Field::kRefreshToken))}});
      AddClientCredentials(row, query);
      ExpectRow(store.FindToken(query), row, query, "refresh");
    }
    if (row.has(Field::kGrantToken)) {
      Token query = MakeToken(
          {{Field::kGrantToken, std::string(row.view(Field::kGrantToken))}});
      AddClientCredentials(row, query);
      ExpectRow(store.FindToken(query), row, query, "grant");
    }
  }
}

struct SampleFile {
  const char* name;
  size_t rows;
};

class ImportSdkFileTest : public ::testing::TestWithParam<SampleFile> {};

TEST_P(ImportSdkFileTest, EveryRowIsFoundByEachOfItsPaths) {
  // Step 1: the rows as the file holds them.
  const std::string file = SharedFile(GetParam().name);
  auto rows = tools::ReadSdkCsvFile(file);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), GetParam().rows);

  // Step 2: import with the CLI, then look each row up.
  TempDir dir;
  ASSERT_NO_FATAL_FAILURE(InitAndImport(dir, file));
  auto store = OpenImported(dir);
  ASSERT_NE(store, nullptr);
  auto stats = store->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->record_count, GetParam().rows);
  ExpectEveryRowFound(*store, *rows);

  // Step 3: the store lists them in file order.
  auto all = store->GetTokens();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), rows->size());
  for (size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].id(), (*rows)[i].token.id());
  }
}

INSTANTIATE_TEST_SUITE_P(
    SharedData, ImportSdkFileTest,
    ::testing::Values(SampleFile{"sdk_tokens.txt", 24},
                      SampleFile{"sdk_tokens_legacy9.txt", 5},
                      SampleFile{"sdk_tokens_10k.txt", 10000}),
    [](const auto& param_info) {
      std::string name = param_info.param.name;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(ImportSdkFile, EdgeRowsKeepTheirOddValues) {
  // The last four rows of sdk_tokens.txt: a quote in a user name, a comma
  // in a quoted URL, no user name, only an access token.
  TempDir dir;
  ASSERT_NO_FATAL_FAILURE(InitAndImport(dir, SharedFile("sdk_tokens.txt")));
  auto store = OpenImported(dir);
  ASSERT_NE(store, nullptr);

  auto quote = store->FindTokenById("21");
  ASSERT_TRUE(quote.ok());
  EXPECT_NE(quote->view(Field::kUserName).find('\''), std::string::npos);
  auto comma = store->FindTokenById("22");
  ASSERT_TRUE(comma.ok());
  EXPECT_EQ(comma->view(Field::kRedirectUrl),
            "https://app.example.com/cb?a=1,b=2");
  auto no_user = store->FindTokenById("23");
  ASSERT_TRUE(no_user.ok());
  EXPECT_FALSE(no_user->has(Field::kUserName));
  auto access_only = store->FindTokenById("24");
  ASSERT_TRUE(access_only.ok());
  for (Field field : kAllFields) {
    const bool expected = field == Field::kId || field == Field::kAccessToken ||
                          field == Field::kApiDomain;
    EXPECT_EQ(access_only->has(field), expected) << FieldName(field);
  }
}

TEST(ImportSdkFile, SharedUserNameFindsTheFirstRow) {
  // Two rows of one user: a find by user name gives the earlier row.
  TempDir dir;
  const std::string file = dir.Sub("two.txt");
  std::ofstream(file) << "id,user_name,client_id,client_secret,"
                         "refresh_token,access_token,grant_token,"
                         "expiry_time,redirect_uri,api_domain\n"
                         "9,same@x.com:1,,,r9,a9,,,,\n"
                         "3,same@x.com:1,,,r3,a3,,,,\n";
  ASSERT_NO_FATAL_FAILURE(InitAndImport(dir, file));
  auto store = OpenImported(dir);
  ASSERT_NE(store, nullptr);
  auto found =
      store->FindToken(MakeToken({{Field::kUserName, "same@x.com:1"}}));
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id(), "9");
}

}  // namespace
}  // namespace tks::testing

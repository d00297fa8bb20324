// The SDK token file reader and writer (tools/src/sdk_csv_*.cc).
#include "tokenstore/tools/sdk_csv.h"

#include <gtest/gtest.h>

#include <string>

#include "test_store.h"

namespace tks::tools {
namespace {

constexpr char kHeader10[] =
    "id,user_name,client_id,client_secret,refresh_token,access_token,"
    "grant_token,expiry_time,redirect_uri,api_domain";
constexpr char kHeader9[] =
    "id,user_name,client_id,client_secret,refresh_token,access_token,"
    "grant_token,expiry_time,redirect_uri";

std::vector<SdkRow> ParseOk(const std::string& text) {
  auto rows = ParseSdkCsv(text);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? std::move(rows.value()) : std::vector<SdkRow>();
}

Status ParseError(const std::string& text) {
  auto rows = ParseSdkCsv(text);
  EXPECT_FALSE(rows.ok());
  return rows.status();
}

TEST(SdkCsvRead, ReadsTenColumnsWithLf) {
  auto rows = ParseOk(std::string(kHeader10) +
                      "\n7,u@x.com:1,1000.C,ab12,1000.r,1000.a,1000.g,"
                      "1796400000000,https://cb,https://api\n");
  ASSERT_EQ(rows.size(), 1u);
  const Token& token = rows[0].token;
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(token.id(), "7");
  EXPECT_EQ(token.view(Field::kUserName), "u@x.com:1");
  EXPECT_EQ(token.view(Field::kClientId), "1000.C");
  EXPECT_EQ(token.view(Field::kClientSecret), "ab12");
  EXPECT_EQ(token.view(Field::kRefreshToken), "1000.r");
  EXPECT_EQ(token.view(Field::kAccessToken), "1000.a");
  EXPECT_EQ(token.view(Field::kGrantToken), "1000.g");
  EXPECT_EQ(token.view(Field::kExpiryTime), "1796400000000");
  EXPECT_EQ(token.view(Field::kRedirectUrl), "https://cb");
  EXPECT_EQ(token.view(Field::kApiDomain), "https://api");
}

TEST(SdkCsvRead, CrlfAndLfGiveTheSameValues) {
  const std::string row = "1,u,c,s,r,a,g,5,x,y";
  auto lf = ParseOk(std::string(kHeader10) + "\n" + row + "\n" + row + "2\n");
  auto crlf =
      ParseOk(std::string(kHeader10) + "\r\n" + row + "\r\n" + row + "2\r\n");
  ASSERT_EQ(lf.size(), 2u);
  ASSERT_EQ(crlf.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_TRUE(lf[i].token.SameFields(crlf[i].token));
    EXPECT_EQ(crlf[i].token.view(Field::kApiDomain), i == 0 ? "y" : "y2");
  }
}

TEST(SdkCsvRead, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  auto rows = ParseOk(std::string(kHeader10) +
                      "\r\n1,\"d.o'brien \"\"q\"\"\",c,s,r,a,g,5,"
                      "\"https://cb?a=1,b=2\",\"two\r\nlines\"\r\n"
                      "2,u,c,s,r2,a2,,,,\r\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].token.view(Field::kUserName), "d.o'brien \"q\"");
  EXPECT_EQ(rows[0].token.view(Field::kRedirectUrl), "https://cb?a=1,b=2");
  EXPECT_EQ(rows[0].token.view(Field::kApiDomain), "two\r\nlines");
  // The second row starts on line 4: the first one spans lines 2 and 3.
  EXPECT_EQ(rows[1].line, 4u);
}

TEST(SdkCsvRead, EmptyFieldsAreNullQuotedOrNot) {
  auto rows = ParseOk(std::string(kHeader10) + "\n,\"\",,,,1000.a,,,,\n");
  ASSERT_EQ(rows.size(), 1u);
  for (Field field : kAllFields) {
    EXPECT_EQ(rows[0].token.has(field), field == Field::kAccessToken)
        << FieldName(field);
  }
}

TEST(SdkCsvRead, NineColumnFileGetsANullApiDomain) {
  auto rows = ParseOk(std::string(kHeader9) + "\r\n3,u,c,s,r,a,g,5,x\r\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].token.view(Field::kRedirectUrl), "x");
  EXPECT_FALSE(rows[0].token.has(Field::kApiDomain));
}

TEST(SdkCsvRead, ColumnsAreMatchedByHeaderName) {
  auto rows = ParseOk(
      "access_token,id,user_name,client_id,client_secret,refresh_token,"
      "grant_token,expiry_time,redirect_url,api_domain\nA,9,U,,,,,,,\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].token.id(), "9");
  EXPECT_EQ(rows[0].token.view(Field::kAccessToken), "A");
  EXPECT_EQ(rows[0].token.view(Field::kUserName), "U");
}

TEST(SdkCsvRead, SkipsByteOrderMarkAndBlankLines) {
  auto rows = ParseOk("\xEF\xBB\xBF" + std::string(kHeader10) +
                      "\r\n\r\n1,u,,,,a,,,,\r\n\n\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].line, 3u);
}

TEST(SdkCsvRead, HeaderOnlyGivesNoRows) {
  EXPECT_TRUE(ParseOk(std::string(kHeader10) + "\r\n").empty());
}

TEST(SdkCsvRead, BytesArePassedThroughUnchanged) {
  const std::string odd = "  \xC3\xA9t\xC3\xA9 \t'x' ";
  auto rows = ParseOk(std::string(kHeader10) + "\n1," + odd + ",,,,a,,,,\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].token.view(Field::kUserName), odd);
}

TEST(SdkCsvRead, WrongColumnCountNamesTheLine) {
  Status status = ParseError(std::string(kHeader10) +
                             "\n1,u,c,s,r,a,g,5,x,y\n2,u,c,s,r,a,g,5,x\n");
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_NE(status.message().find("line 3"), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("expected 10 fields, found 9"),
            std::string::npos);
}

TEST(SdkCsvRead, UnterminatedQuoteNamesTheLineItStarts) {
  Status status = ParseError(std::string(kHeader10) +
                             "\n1,u,,,,a,,,,\n2,\"open,,,,a,,,,\n3,u\n");
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_NE(status.message().find("line 3: unterminated"), std::string::npos)
      << status.message();
}

TEST(SdkCsvRead, TextAfterClosingQuoteIsAnError) {
  Status status = ParseError(std::string(kHeader10) + "\n1,\"u\"x,,,,a,,,,\n");
  EXPECT_NE(status.message().find("line 2: text after closing quote"),
            std::string::npos)
      << status.message();
}

TEST(SdkCsvRead, QuoteInsideUnquotedFieldIsAnError) {
  Status status = ParseError(std::string(kHeader10) + "\n1,u\"x,,,,a,,,,\n");
  EXPECT_NE(status.message().find("line 2: quote in unquoted field"),
            std::string::npos)
      << status.message();
}

TEST(SdkCsvRead, BadHeadersAreRefused) {
  EXPECT_EQ(ParseError("").message(), "empty token file: no header");
  EXPECT_EQ(ParseError("\r\n\r\n").message(), "empty token file: no header");
  EXPECT_NE(ParseError("id,user_name,client_id\n")
                .message()
                .find("header has 3 columns"),
            std::string::npos);
  std::string unknown(kHeader10);
  unknown.replace(0, 2, "ix");
  EXPECT_NE(ParseError(unknown + "\n").message().find("unknown header"),
            std::string::npos);
  std::string twice(kHeader10);
  twice.replace(twice.find("api_domain"), 10, "user_name");
  EXPECT_NE(ParseError(twice + "\n").message().find("appears twice"),
            std::string::npos);
  // A 9-column header that drops another column than api_domain.
  std::string nine(kHeader10);
  nine.erase(nine.find(",grant_token"), 12);
  EXPECT_NE(ParseError(nine + "\n").message().find("must omit api_domain"),
            std::string::npos);
}

TEST(SdkCsvRead, FieldOverTheLimitNamesLineAndField) {
  const std::string big(kMaxFieldBytes + 1, 'r');
  Status status =
      ParseError(std::string(kHeader10) + "\n1,u,,,," + big + ",,,,\n");
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_NE(status.message().find("line 2"), std::string::npos);
  EXPECT_NE(status.message().find("access_token"), std::string::npos)
      << status.message();
  EXPECT_EQ(status.message().find("rrrr"), std::string::npos);
}

TEST(SdkCsvRead, MissingFileIsNotFound) {
  auto rows = ReadSdkCsvFile("/nonexistent/tokens.txt");
  EXPECT_EQ(rows.status().code(), Code::kNotFound);
}

TEST(SdkCsvRead, ErrorsNeverEchoTheRow) {
  const std::string secret = "1000.deadbeefdeadbeef.cafecafe";
  Status status =
      ParseError(std::string(kHeader10) + "\n1,u,c," + secret + ",r,a,g\n");
  EXPECT_EQ(status.message().find(secret), std::string::npos);
}

Token TrickyToken() {
  return testing::MakeToken({
      {Field::kId, "42"},
      {Field::kUserName, "o'brien, \"the\" user:1"},
      {Field::kClientSecret, "line1\r\nline2\nline3\r"},
      {Field::kRefreshToken, "1000.r\xC3\xA9"},
      {Field::kAccessToken, "1000.acc,ess"},
      {Field::kRedirectUrl, "https://cb?a=1,b=\"2\""},
  });
}

TEST(SdkCsvWrite, RevealedRowsReadBackIdentical) {
  crypto::SecretString text(SdkCsvHeader());
  const Token tricky = TrickyToken();
  const Token plain =
      testing::MakeToken({{Field::kId, "43"}, {Field::kGrantToken, "g"}});
  AppendSdkCsvRow(tricky, /*reveal=*/true, text);
  AppendSdkCsvRow(plain, /*reveal=*/true, text);

  auto rows = ParseOk(std::string(text.view()));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[0].token.SameFields(tricky));
  EXPECT_TRUE(rows[1].token.SameFields(plain));
}

TEST(SdkCsvWrite, NullIsAnEmptyFieldAndLinesEndInCrlf) {
  crypto::SecretString text;
  AppendSdkCsvRow(
      testing::MakeToken({{Field::kId, "1"}, {Field::kApiDomain, "d"}}), true,
      text);
  EXPECT_EQ(text.view(), "1,,,,,,,,,d\r\n");
  EXPECT_EQ(SdkCsvHeader().substr(SdkCsvHeader().size() - 2), "\r\n");
}

TEST(SdkCsvWrite, RedactedRowsHoldNoSecret) {
  crypto::SecretString text;
  const Token tricky = TrickyToken();
  AppendSdkCsvRow(tricky, /*reveal=*/false, text);
  for (Field field : kAllFields) {
    if (!tricky.has(field) || !IsSecretField(field)) continue;
    EXPECT_EQ(text.view().find(tricky.view(field)), std::string_view::npos)
        << FieldName(field);
  }
  EXPECT_EQ(text.view().substr(0, 3), "42,");
}

}  // namespace
}  // namespace tks::tools

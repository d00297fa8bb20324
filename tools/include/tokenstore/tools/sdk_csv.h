// The Zoho SDK token file (FileStore): CSV with a header row.
//
// The 10-column format has the columns id, user_name, client_id,
// client_secret, refresh_token, access_token, grant_token, expiry_time,
// redirect_uri, api_domain; the older 9-column format lacks api_domain and
// is read as if that column were empty. Columns are matched by their header
// name, so their order may differ.
//
// Reading: minimal RFC 4180 quoting (a field in double quotes may hold
// commas, line breaks and doubled quotes), CRLF or LF line ends, a UTF-8
// byte order mark at the start is skipped, blank lines are skipped, and an
// empty field (quoted or not) is null, because the format cannot tell ""
// from null. A quote inside an unquoted field, text after a closing quote,
// an unterminated quote, a wrong column count or a field over the limits of
// DESIGN §2 is INVALID_ARGUMENT naming the line; nothing is returned then.
//
// Writing: the 10-column header, CRLF line ends, a field quoted only when it
// holds a comma, a quote, CR or LF; null is written as an empty field.
//
// Thread safety: all functions are reentrant. Messages never hold a value.
#ifndef TOKENSTORE_TOOLS_SDK_CSV_H_
#define TOKENSTORE_TOOLS_SDK_CSV_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tokenstore/crypto/secret.h"
#include "tokenstore/status.h"
#include "tokenstore/token.h"

namespace tks::tools {

// One data row of a token file and the line it starts on (1-based; the
// header is line 1).
struct SdkRow {
  Token token;
  size_t line = 0;
};

// Parses a whole token file held in memory. INVALID_ARGUMENT for an empty
// text (no header), an unknown or repeated header name, a header of other
// than 9 or 10 columns, or a malformed row (the message names its line).
Result<std::vector<SdkRow>> ParseSdkCsv(std::string_view text);

// Reads and parses the file at `path`. NOT_FOUND if it does not exist;
// INTERNAL if it cannot be read; otherwise as ParseSdkCsv, with the path
// in the message.
Result<std::vector<SdkRow>> ReadSdkCsvFile(const std::string& path);

// The 10-column header line, with its CRLF.
std::string SdkCsvHeader();

// Appends one row for `token` to `out`, with its CRLF. Secret fields are
// written as RedactValue shows them unless `reveal`.
void AppendSdkCsvRow(const Token& token, bool reveal,
                     crypto::SecretString& out);

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_SDK_CSV_H_

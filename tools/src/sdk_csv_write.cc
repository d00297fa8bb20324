// Writing the SDK token file (10-column format).
#include <string>

#include "tokenstore/redact.h"
#include "tokenstore/tools/sdk_csv.h"

namespace tks::tools {
namespace {

bool NeedsQuotes(std::string_view value) {
  return value.find_first_of(",\"\r\n") != std::string_view::npos;
}

void AppendField(std::string_view value, crypto::SecretString& out) {
  // Step 1: plain values go out as they are.
  if (!NeedsQuotes(value)) {
    out.append(value.data(), value.size());
    return;
  }

  // Step 2: quote, doubling each quote inside.
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

std::string SdkCsvHeader() {
  return "id,user_name,client_id,client_secret,refresh_token,access_token,"
         "grant_token,expiry_time,redirect_uri,api_domain\r\n";
}

void AppendSdkCsvRow(const Token& token, bool reveal,
                     crypto::SecretString& out) {
  for (Field field : kAllFields) {
    if (field != Field::kId) out.push_back(',');
    if (!token.has(field)) continue;
    const std::string_view value = token.view(field);
    if (reveal || !IsSecretField(field)) {
      AppendField(value, out);
    } else {
      AppendField(RedactValue(value), out);
    }
  }
  out.append("\r\n");
}

}  // namespace tks::tools

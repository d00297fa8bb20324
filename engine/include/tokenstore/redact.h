// Redaction: how a field value is shown to a person unless they ask to see
// it. Secret fields (IsSecretField) show a short prefix, the length and a
// fingerprint; other fields are shown as they are.
#ifndef TOKENSTORE_REDACT_H_
#define TOKENSTORE_REDACT_H_

#include <string>
#include <string_view>

#include "tokenstore/token.h"

namespace tks {

// E.g. "1000.3281…(70 bytes, #1a2b3c4d)". The prefix is at most 9 bytes
// and never more than a quarter of the value, so short secrets show none.
std::string RedactValue(std::string_view value);

// The field as shown: "null" when null; redacted when secret unless
// `reveal`; otherwise the value itself.
std::string ShowField(const Token& token, Field field, bool reveal);

}  // namespace tks

#endif  // TOKENSTORE_REDACT_H_

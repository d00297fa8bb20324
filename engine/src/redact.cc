#include "tokenstore/redact.h"

#include "tokenstore/crypto/blind_index.h"

namespace tks {

std::string RedactValue(std::string_view value) {
  const size_t prefix = std::min<size_t>(9, value.size() / 4);
  std::string shown(value.substr(0, prefix));
  shown += "…(" + std::to_string(value.size()) + " bytes, #" +
           crypto::Fingerprint(value) + ")";
  return shown;
}

std::string ShowField(const Token& token, Field field, bool reveal) {
  if (!token.has(field)) return "null";
  const std::string_view value = token.view(field);
  if (reveal || !IsSecretField(field)) return std::string(value);
  return RedactValue(value);
}

}  // namespace tks

// Token records in the C API: create, free, field set/get/clear and the
// metadata getters.
#include <string_view>

#include "handles.h"

namespace tks::api {
namespace {

// INVALID_ARGUMENT when `value` breaks the per-field limits of `field`.
Status CheckFieldValue(Field field, std::string_view value) {
  Token alone;
  alone.set(field, value);
  return ValidateToken(alone);
}

}  // namespace
}  // namespace tks::api

extern "C" {

int tks_token_create(tks_token** out) {
  try {
    if (out == nullptr) return TKS_INVALID_ARGUMENT;
    *out = std::make_unique<tks_token>().release();
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

void tks_token_free(tks_token* token) {
  try {
    delete token;
  } catch (...) {
    // Destructors do not throw; nothing to report from a void call.
  }
}

int tks_token_field_set(tks_token* token, int field, const void* data,
                        size_t length) {
  try {
    // Step 1: check the arguments and the value's limits.
    const std::optional<tks::Field> known = tks::api::FieldFromNumber(field);
    if (token == nullptr || !known) return TKS_INVALID_ARGUMENT;
    if (data == nullptr && length > 0) return TKS_INVALID_ARGUMENT;
    const std::string_view value(
        data == nullptr ? "" : static_cast<const char*>(data), length);
    if (!tks::api::CheckFieldValue(*known, value).ok()) {
      return TKS_INVALID_ARGUMENT;
    }

    // Step 2: store a copy.
    token->token.set(*known, value);
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

int tks_token_field_get(const tks_token* token, int field, const void** data,
                        size_t* length) {
  try {
    const std::optional<tks::Field> known = tks::api::FieldFromNumber(field);
    if (token == nullptr || !known || data == nullptr || length == nullptr) {
      return TKS_INVALID_ARGUMENT;
    }

    // A null field is a NULL pointer; a set one points at its bytes,
    // which std::basic_string keeps NUL-terminated.
    const tks::Token::Value& value = token->token.get(*known);
    *data = value ? value->data() : nullptr;
    *length = value ? value->size() : 0;
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

int tks_token_field_clear(tks_token* token, int field) {
  try {
    const std::optional<tks::Field> known = tks::api::FieldFromNumber(field);
    if (token == nullptr || !known) return TKS_INVALID_ARGUMENT;
    token->token.clear(*known);
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

const char* tks_token_id(const tks_token* token) {
  try {
    if (token == nullptr || !token->token.has_id()) return nullptr;
    return token->token.get(tks::Field::kId)->c_str();
  } catch (...) {
    return nullptr;
  }
}

uint64_t tks_token_generation(const tks_token* token) {
  try {
    return token == nullptr ? 0 : token->token.generation();
  } catch (...) {
    return 0;
  }
}

uint64_t tks_token_updated_at(const tks_token* token) {
  try {
    return token == nullptr ? 0 : token->token.updated_at_ms();
  } catch (...) {
    return 0;
  }
}

}  // extern "C"

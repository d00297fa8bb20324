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
    // which the token keeps NUL-terminated.
    const std::optional<std::string_view> value = token->token.get(*known);
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

int tks_token_fields_get(const tks_token* token,
                         const void* data[TKS_FIELD_COUNT],
                         size_t length[TKS_FIELD_COUNT]) {
  try {
    if (token == nullptr || data == nullptr || length == nullptr) {
      return TKS_INVALID_ARGUMENT;
    }
    for (tks::Field field : tks::kAllFields) {
      const size_t i = static_cast<size_t>(field);
      const std::optional<std::string_view> value = token->token.get(field);
      data[i] = value ? value->data() : nullptr;
      length[i] = value ? value->size() : 0;
    }
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

int tks_token_fields_set(tks_token* token,
                         const void* const data[TKS_FIELD_COUNT],
                         const size_t length[TKS_FIELD_COUNT]) {
  try {
    // Step 1: build the new fields on a copy, checking each value.
    if (token == nullptr || data == nullptr || length == nullptr) {
      return TKS_INVALID_ARGUMENT;
    }
    tks::Token updated = token->token;
    for (tks::Field field : tks::kAllFields) {
      const size_t i = static_cast<size_t>(field);
      if (data[i] == nullptr) {
        updated.clear(field);
        continue;
      }
      const std::string_view value(static_cast<const char*>(data[i]),
                                   length[i]);
      if (!tks::api::CheckFieldValue(field, value).ok()) {
        return TKS_INVALID_ARGUMENT;
      }
      updated.set(field, value);
    }

    // Step 2: all values passed: replace them at once.
    token->token = std::move(updated);
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

const char* tks_token_id(const tks_token* token) {
  try {
    if (token == nullptr || !token->token.has_id()) return nullptr;
    // The id's bytes are followed by a NUL (tokenstore/token.h).
    return token->token.get(tks::Field::kId)->data();
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

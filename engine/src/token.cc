#include "tokenstore/token.h"

#include <string>

#include "tokenstore/crypto/blind_index.h"

namespace tks {
namespace {

constexpr std::array<std::string_view, kFieldCount> kNames = {"id",
                                                              "user_name",
                                                              "client_id",
                                                              "client_secret",
                                                              "refresh_token",
                                                              "access_token",
                                                              "grant_token",
                                                              "expiry_time",
                                                              "redirect_url",
                                                              "api_domain"};

}  // namespace

std::string_view FieldName(Field field) {
  return kNames[static_cast<size_t>(field)];
}

std::optional<Field> FieldFromName(std::string_view name) {
  if (name == "redirect_uri") return Field::kRedirectUrl;
  for (Field f : kAllFields) {
    if (FieldName(f) == name) return f;
  }
  return std::nullopt;
}

bool IsSecretField(Field field) {
  switch (field) {
    case Field::kUserName:
    case Field::kClientSecret:
    case Field::kRefreshToken:
    case Field::kAccessToken:
    case Field::kGrantToken:
      return true;
    default:
      return false;
  }
}

void Token::MergeFrom(const Token& stored) {
  for (Field f : kAllFields) {
    if (!has(f) && stored.has(f)) fields_[Index(f)] = stored.get(f);
  }
  generation_ = stored.generation_;
  updated_at_ms_ = stored.updated_at_ms_;
}

bool Token::SameFields(const Token& other) const {
  for (Field f : kAllFields) {
    if (has(f) != other.has(f)) return false;
    if (has(f) && !crypto::ConstantTimeEquals(view(f), other.view(f))) {
      return false;
    }
  }
  return true;
}

Status ValidateToken(const Token& token) {
  // Step 1: the id: at most 128 bytes of printable ASCII.
  if (token.has_id()) {
    const std::string_view id = token.id();
    if (id.empty() || id.size() > kMaxIdBytes) {
      return InvalidArgument("field id must be 1 to 128 bytes");
    }
    for (char c : id) {
      if (c < 0x21 || c > 0x7e) {
        return InvalidArgument(
            "field id must be printable ASCII without spaces");
      }
    }
  }

  // Step 2: every other field, then the record as a whole.
  size_t total = 0;
  for (Field f : kAllFields) {
    const size_t size = token.view(f).size();
    if (f != Field::kId && size > kMaxFieldBytes) {
      return InvalidArgument("field " + std::string(FieldName(f)) +
                             " is over the 16 KiB limit");
    }
    total += size;
  }
  if (total > kMaxRecordBytes) {
    return InvalidArgument("record is over the 64 KiB limit");
  }
  return Status::Ok();
}

std::optional<uint64_t> ParseExpiryMs(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace tks

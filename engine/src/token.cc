#include "tokenstore/token.h"

#include <functional>
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

Token::Token(Token&& other) noexcept
    : bytes_(std::move(other.bytes_)),
      spans_(other.spans_),
      present_(other.present_),
      dead_bytes_(other.dead_bytes_),
      generation_(other.generation_),
      updated_at_ms_(other.updated_at_ms_) {
  other.bytes_.clear();
  other.present_ = 0;
  other.dead_bytes_ = 0;
}

Token& Token::operator=(Token&& other) noexcept {
  if (this == &other) return *this;
  bytes_ = std::move(other.bytes_);
  spans_ = other.spans_;
  present_ = other.present_;
  dead_bytes_ = other.dead_bytes_;
  generation_ = other.generation_;
  updated_at_ms_ = other.updated_at_ms_;
  other.bytes_.clear();
  other.present_ = 0;
  other.dead_bytes_ = 0;
  return *this;
}

void Token::set(Field field, std::string_view value) {
  // Step 1: a value that lives in this token's own buffer is copied out
  // first, since appending may move the buffer.
  const std::less_equal<const char*> not_after;
  const std::less<const char*> before;
  if (!value.empty() && not_after(bytes_.data(), value.data()) &&
      before(value.data(), bytes_.data() + bytes_.size())) {
    const crypto::SecretString copy(value);
    set(field, copy.view());
    return;
  }

  // Step 2: the old value becomes dead bytes; compact when they outweigh
  // the live ones, so repeated sets do not grow the buffer for ever.
  clear(field);
  if (dead_bytes_ > 256 && dead_bytes_ * 2 > bytes_.size()) Compact();

  // Step 3: append the value and its NUL.
  spans_[Index(field)] = Span{bytes_.size(), value.size()};
  bytes_.append(value.data(), value.size());
  bytes_.push_back('\0');
  present_ |= Bit(field);
}

void Token::clear(Field field) {
  if (!has(field)) return;
  dead_bytes_ += spans_[Index(field)].size + 1;
  present_ &= static_cast<uint16_t>(~Bit(field));
}

void Token::Reserve(size_t bytes) {
  bytes_.reserve(bytes_.size() + bytes + kFieldCount);
}

void Token::Compact() {
  // Step 1: copy the live fields, in field order, into a fresh buffer.
  crypto::SecretString live;
  live.reserve(bytes_.size() - dead_bytes_);
  std::array<Span, kFieldCount> spans{};
  for (Field f : kAllFields) {
    if (!has(f)) continue;
    const std::string_view value = view(f);
    spans[Index(f)] = Span{live.size(), value.size()};
    live.append(value.data(), value.size());
    live.push_back('\0');
  }

  // Step 2: swap it in; the old buffer is wiped as it is released.
  bytes_.swap(live);
  spans_ = spans;
  dead_bytes_ = 0;
}

void Token::MergeFrom(const Token& stored) {
  for (Field f : kAllFields) {
    if (!has(f) && stored.has(f)) set(f, stored.view(f));
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

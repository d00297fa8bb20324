// Token: one OAuth token record as the caller sees it.
//
// A token has ten fields (DESIGN §2), each either null or a byte string;
// null and "" are different states. Values are bytes in, the same bytes
// out. Field memory is wiped when released. A token read from a store also
// carries its generation (1 on insert, +1 per save) and the time of its
// last save; neither is one of the ten fields.
//
// Thread safety: a Token is a plain value; do not share a non-const Token
// between threads without synchronisation.
#ifndef TOKENSTORE_TOKEN_H_
#define TOKENSTORE_TOKEN_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "tokenstore/crypto/secret.h"
#include "tokenstore/status.h"

namespace tks {

// Field numbers are persisted and part of the C ABI: never renumber.
enum class Field : uint8_t {
  kId = 0,
  kUserName = 1,
  kClientId = 2,
  kClientSecret = 3,
  kRefreshToken = 4,
  kAccessToken = 5,
  kGrantToken = 6,
  kExpiryTime = 7,
  kRedirectUrl = 8,
  kApiDomain = 9,
};
inline constexpr size_t kFieldCount = 10;

// Every field in column order, for loops.
inline constexpr std::array<Field, kFieldCount> kAllFields = {
    Field::kId,           Field::kUserName,     Field::kClientId,
    Field::kClientSecret, Field::kRefreshToken, Field::kAccessToken,
    Field::kGrantToken,   Field::kExpiryTime,   Field::kRedirectUrl,
    Field::kApiDomain};

// Limits of DESIGN §2, enforced by ValidateToken.
inline constexpr size_t kMaxIdBytes = 128;
inline constexpr size_t kMaxFieldBytes = 16 * 1024;
inline constexpr size_t kMaxRecordBytes = 64 * 1024;

// Snake-case column name, e.g. "refresh_token".
std::string_view FieldName(Field field);
// The field with that column name ("redirect_uri" is accepted as the
// SDK file's spelling of redirect_url); nullopt for an unknown name.
std::optional<Field> FieldFromName(std::string_view name);
// True for fields redacted in output: user name, client secret, tokens.
bool IsSecretField(Field field);

class Token {
 public:
  Token() = default;
  Token(const Token&) = default;
  Token& operator=(const Token&) = default;
  // A moved-from token is empty (every field null).
  Token(Token&& other) noexcept;
  Token& operator=(Token&& other) noexcept;

  // The field's bytes, or nullopt when null. The view stays valid until
  // this token is changed or destroyed, and the bytes are followed by a
  // NUL (not part of the value).
  std::optional<std::string_view> get(Field field) const {
    if (!has(field)) return std::nullopt;
    return view(field);
  }
  bool has(Field field) const { return (present_ & Bit(field)) != 0; }
  // The field's bytes; "" when null (use has() to tell them apart).
  std::string_view view(Field field) const {
    if (!has(field)) return std::string_view();
    const Span& span = spans_[Index(field)];
    return std::string_view(bytes_.data() + span.offset, span.size);
  }

  // Sets or clears one field. Views of other fields stay valid only
  // until the next set (all fields share one wiped buffer).
  void set(Field field, std::string_view value);
  void clear(Field field);
  // Makes room for `bytes` more bytes of field values, so a decoder that
  // knows the total sets every field without reallocating.
  void Reserve(size_t bytes);

  // Shorthands for the common fields.
  std::string_view id() const { return view(Field::kId); }
  bool has_id() const { return has(Field::kId); }

  // Store-maintained metadata; 0 on a token that was never stored.
  uint64_t generation() const { return generation_; }
  uint64_t updated_at_ms() const { return updated_at_ms_; }
  void set_generation(uint64_t g) { generation_ = g; }
  void set_updated_at_ms(uint64_t t) { updated_at_ms_ = t; }

  // Fills each null field of this token from `stored`; fields this token
  // already has (the caller's values) win. Metadata comes from `stored`.
  void MergeFrom(const Token& stored);

  // Equal when all ten fields are equal (null equals only null).
  bool SameFields(const Token& other) const;

 private:
  // Where a field's bytes sit in bytes_.
  struct Span {
    size_t offset = 0;
    size_t size = 0;
  };

  static size_t Index(Field field) { return static_cast<size_t>(field); }
  static uint16_t Bit(Field field) {
    return static_cast<uint16_t>(1u << Index(field));
  }
  // Rewrites bytes_ with only the live fields.
  void Compact();

  // Every set field's bytes, each followed by a NUL, in one buffer that
  // is wiped when released. Replaced values stay as dead bytes until
  // Compact.
  crypto::SecretString bytes_;
  std::array<Span, kFieldCount> spans_{};
  uint16_t present_ = 0;
  size_t dead_bytes_ = 0;
  uint64_t generation_ = 0;
  uint64_t updated_at_ms_ = 0;
};

// INVALID_ARGUMENT, naming the field, when the token breaks a limit: id
// over 128 bytes or not printable ASCII, another field over 16 KiB, all
// fields together over 64 KiB.
Status ValidateToken(const Token& token);

// Parses an expiry time (decimal epoch milliseconds, digits only, no sign
// or spaces). nullopt when it does not parse or overflows.
std::optional<uint64_t> ParseExpiryMs(std::string_view text);

}  // namespace tks

#endif  // TOKENSTORE_TOKEN_H_

// Status and Result<T>: the one error type of tokenstore.
//
// Every fallible call returns a Status (or a Result<T> holding a value or a
// Status). The code is one of a small closed set that the C API exposes as
// integers; the message names what failed (a field, a record id, a file)
// and never contains a token value, secret or user name.
//
// Thread safety: Status and Result are plain values; distinct objects may
// be used from distinct threads freely.
#ifndef TOKENSTORE_STATUS_H_
#define TOKENSTORE_STATUS_H_

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tks {

// The integer values are part of the C ABI (tks.h): never renumber.
enum class Code : int {
  kOk = 0,
  kNotFound = 1,         // No record with that id (or lease, or key).
  kInvalidArgument = 2,  // Bad input; the message names the field.
  kConflict = 3,         // A token value or generation clash.
  kWrongKey = 4,         // Root key does not open this store.
  kCorrupt = 5,          // A stored value failed to open or decode.
  kVersion = 6,          // Store written by a newer or unknown format.
  kMapFull = 7,          // The map could not grow (disk or limit).
  kReadersFull = 8,      // No free LMDB reader slot.
  kIoFatal = 9,          // I/O failed at commit; reopen the store.
  kLeaseHeld = 10,       // Another holder owns the refresh lease.
  kUsedAfterFork = 11,   // Handle used in a forked child.
  kUnsupportedFs = 12,   // Store directory on a network filesystem.
  kInternal = 13,        // A bug or an unexpected library error.
};

// Short upper-case name of a code, e.g. "NOT_FOUND".
constexpr std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "OK";
    case Code::kNotFound:
      return "NOT_FOUND";
    case Code::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case Code::kConflict:
      return "CONFLICT";
    case Code::kWrongKey:
      return "WRONG_KEY";
    case Code::kCorrupt:
      return "CORRUPT";
    case Code::kVersion:
      return "VERSION";
    case Code::kMapFull:
      return "MAP_FULL";
    case Code::kReadersFull:
      return "READERS_FULL";
    case Code::kIoFatal:
      return "IO_FATAL";
    case Code::kLeaseHeld:
      return "LEASE_HELD";
    case Code::kUsedAfterFork:
      return "USED_AFTER_FORK";
    case Code::kUnsupportedFs:
      return "UNSUPPORTED_FS";
    case Code::kInternal:
      return "INTERNAL";
  }
  return "UNKNOWN";
}

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK.
  Status(Code code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "CODE: message", or "OK".
  std::string ToString() const {
    std::string text(CodeName(code_));
    if (!message_.empty()) text += ": " + message_;
    return text;
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// Helpers that keep call sites short: tks::NotFound("record id 7").
inline Status NotFound(std::string m) { return {Code::kNotFound, m}; }
inline Status InvalidArgument(std::string m) {
  return {Code::kInvalidArgument, std::move(m)};
}
inline Status Conflict(std::string m) { return {Code::kConflict, m}; }
inline Status Corrupt(std::string m) { return {Code::kCorrupt, m}; }
inline Status Internal(std::string m) { return {Code::kInternal, m}; }

// A value or the Status that explains why there is none.
// REQUIRES: constructed from a non-OK Status when it holds no value.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}         // NOLINT: implicit
  Result(Status status) : state_(std::move(status)) {}  // NOLINT: implicit

  bool ok() const { return std::holds_alternative<T>(state_); }

  // OK when a value is held.
  Status status() const {
    return ok() ? Status::Ok() : std::get<Status>(state_);
  }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace tks

// Returns from the enclosing function when `expr` yields a non-OK Status.
#define TKS_CONCAT_INNER_(a, b) a##b
#define TKS_CONCAT_(a, b) TKS_CONCAT_INNER_(a, b)

#define TKS_RETURN_IF_ERROR(expr) \
  TKS_RETURN_IF_ERROR_IMPL_(TKS_CONCAT_(tks_status_, __LINE__), expr)
#define TKS_RETURN_IF_ERROR_IMPL_(tmp, expr) \
  do {                                       \
    ::tks::Status tmp = (expr);              \
    if (!tmp.ok()) return tmp;               \
  } while (0)

// Declares `lhs` from a Result<T>, or returns its Status on failure.
#define TKS_ASSIGN_OR_RETURN(lhs, expr) \
  TKS_ASSIGN_OR_RETURN_IMPL_(TKS_CONCAT_(tks_result_, __LINE__), lhs, expr)
#define TKS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()

#endif  // TOKENSTORE_STATUS_H_

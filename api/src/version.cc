// Version, status code and field name calls of the C API.
#include <string>

#include "handles.h"

static_assert(TKS_NOT_FOUND == static_cast<int>(tks::Code::kNotFound));
static_assert(TKS_INVALID_ARGUMENT ==
              static_cast<int>(tks::Code::kInvalidArgument));
static_assert(TKS_CONFLICT == static_cast<int>(tks::Code::kConflict));
static_assert(TKS_WRONG_KEY == static_cast<int>(tks::Code::kWrongKey));
static_assert(TKS_CORRUPT == static_cast<int>(tks::Code::kCorrupt));
static_assert(TKS_VERSION == static_cast<int>(tks::Code::kVersion));
static_assert(TKS_MAP_FULL == static_cast<int>(tks::Code::kMapFull));
static_assert(TKS_READERS_FULL == static_cast<int>(tks::Code::kReadersFull));
static_assert(TKS_IO_FATAL == static_cast<int>(tks::Code::kIoFatal));
static_assert(TKS_LEASE_HELD == static_cast<int>(tks::Code::kLeaseHeld));
static_assert(TKS_USED_AFTER_FORK ==
              static_cast<int>(tks::Code::kUsedAfterFork));
static_assert(TKS_UNSUPPORTED_FS ==
              static_cast<int>(tks::Code::kUnsupportedFs));
static_assert(TKS_INTERNAL == static_cast<int>(tks::Code::kInternal));
static_assert(TKS_LOG_DEBUG == static_cast<int>(tks::LogLevel::kDebug));
static_assert(TKS_LOG_ERROR == static_cast<int>(tks::LogLevel::kError));
static_assert(TKS_FIELD_API_DOMAIN == static_cast<int>(tks::Field::kApiDomain));
static_assert(TKS_FIELD_COUNT == tks::kFieldCount);
static_assert(TKS_MAX_ID_BYTES == tks::kMaxIdBytes);
static_assert(TKS_MAX_FIELD_BYTES == tks::kMaxFieldBytes);
static_assert(TKS_MAX_RECORD_BYTES == tks::kMaxRecordBytes);

extern "C" {

const char* tks_version_string(void) {
  try {
    return TKS_VERSION_STRING;
  } catch (...) {
    return "";
  }
}

uint32_t tks_version_number(void) {
  try {
    return TKS_VERSION_NUMBER;
  } catch (...) {
    return 0;
  }
}

uint32_t tks_format_version(void) {
  try {
    return tks::kFormatVersion;
  } catch (...) {
    return 0;
  }
}

const char* tks_code_name(int code) {
  try {
    if (code < TKS_OK || code > TKS_INTERNAL) return "UNKNOWN";

    // CodeName returns views of string literals, so data() is terminated.
    return tks::CodeName(static_cast<tks::Code>(code)).data();
  } catch (...) {
    return "UNKNOWN";
  }
}

const char* tks_field_name(int field) {
  try {
    const std::optional<tks::Field> known = tks::api::FieldFromNumber(field);
    if (!known) return nullptr;

    // FieldName returns views of string literals.
    return tks::FieldName(*known).data();
  } catch (...) {
    return nullptr;
  }
}

}  // extern "C"

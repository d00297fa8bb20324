// Error objects and the status-to-code helpers of the C API.
#include <new>

#include "handles.h"

namespace tks::api {
namespace {

// Stores a fresh error in *err; leaves NULL there if allocation fails.
void StoreError(tks_error** err, int code, const char* message) noexcept {
  if (err == nullptr) return;
  *err = nullptr;
  try {
    auto error = std::make_unique<tks_error>();
    error->code = code;
    error->message = message;
    *err = error.release();
  } catch (...) {
    // Out of memory: the code alone has to do.
  }
}

}  // namespace

int Succeed(tks_error** err) {
  if (err != nullptr) *err = nullptr;
  return TKS_OK;
}

int Fail(tks_error** err, const Status& status) {
  const int code = static_cast<int>(status.code());
  StoreError(err, code, status.message().c_str());
  return code;
}

int Report(tks_error** err, const Status& status) {
  return status.ok() ? Succeed(err) : Fail(err, status);
}

int NullArgument(tks_error** err, const char* name) {
  return Fail(err, InvalidArgument(std::string(name) + " is NULL"));
}

int CaughtException(tks_error** err) noexcept {
  // Step 1: tell out-of-memory from other exceptions, without rethrowing
  // anything out of this function.
  const char* message = "unexpected exception in the C API";
  try {
    throw;
  } catch (const std::bad_alloc&) {
    message = "out of memory";
  } catch (...) {
  }

  // Step 2: report it as INTERNAL.
  StoreError(err, TKS_INTERNAL, message);
  return TKS_INTERNAL;
}

std::optional<Field> FieldFromNumber(int field) {
  if (field < 0 || field >= static_cast<int>(kFieldCount)) {
    return std::nullopt;
  }
  return static_cast<Field>(field);
}

}  // namespace tks::api

extern "C" {

int tks_error_code(const tks_error* error) {
  try {
    return error == nullptr ? TKS_INVALID_ARGUMENT : error->code;
  } catch (...) {
    return TKS_INTERNAL;
  }
}

const char* tks_error_message(const tks_error* error) {
  try {
    return error == nullptr ? "" : error->message.c_str();
  } catch (...) {
    return "";
  }
}

void tks_error_free(tks_error* error) {
  try {
    delete error;
  } catch (...) {
    // Destructors do not throw; nothing to report from a void call.
  }
}

}  // extern "C"

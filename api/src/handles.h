// The structs behind the opaque handles of tks.h, and the helpers every
// extern "C" body uses to turn a Status or an exception into a code.
#ifndef TKS_API_SRC_HANDLES_H_
#define TKS_API_SRC_HANDLES_H_

#include <memory>
#include <string>

#include "tks/tks.h"
#include "tokenstore/options.h"
#include "tokenstore/status.h"
#include "tokenstore/store.h"
#include "tokenstore/token.h"

// Shared ownership lets an iterator keep its store alive after
// tks_store_close, so a binding may free them in any order.
struct tks_store {
  std::shared_ptr<tks::Store> store;
};

struct tks_options {
  tks::Options options;
};

struct tks_token {
  tks::Token token;
};

struct tks_iter {
  std::shared_ptr<tks::Store> store;  // Declared first: destroyed last.
  std::unique_ptr<tks::TokenCursor> cursor;
};

struct tks_error {
  int code = TKS_INTERNAL;
  std::string message;
};

namespace tks::api {

// Sets *err (when err is not NULL) to NULL and returns TKS_OK.
int Succeed(tks_error** err);

// Sets *err (when err is not NULL) to a new error holding the status and
// returns its code. REQUIRES: !status.ok().
int Fail(tks_error** err, const Status& status);

// Ok or Fail, as the status says.
int Report(tks_error** err, const Status& status);

// INVALID_ARGUMENT naming the argument, e.g. NullArgument(err, "store").
int NullArgument(tks_error** err, const char* name);

// For a catch (...) block: maps the exception in flight to INTERNAL (out
// of memory, or an unexpected exception) without letting anything throw.
int CaughtException(tks_error** err) noexcept;

// The field number as a tks::Field, or nullopt when out of range.
std::optional<Field> FieldFromNumber(int field);

}  // namespace tks::api

#endif  // TKS_API_SRC_HANDLES_H_

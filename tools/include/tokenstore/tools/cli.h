// The tks operator command line, as a library call so tests can run it in
// process. The `tks` binary is a thin main() around RunTks.
//
// Secrets (token values, client secrets, user names) are read from the
// input stream or a file, never from the arguments, and are shown redacted
// unless the command is given --reveal.
//
// Thread safety: RunTks may run on several threads at once when each has
// its own streams; commands on one store then share it as processes do.
#ifndef TOKENSTORE_TOOLS_CLI_H_
#define TOKENSTORE_TOOLS_CLI_H_

#include <iosfwd>
#include <memory>
#include <span>
#include <string>

#include "tokenstore/crypto/secret.h"

namespace tks::tools {

// Exit codes of tks, also listed by `tks --help`.
enum ExitCode : int {
  kExitOk = 0,
  kExitNotFound = 1,  // No record matched (find, get, delete).
  kExitUsage = 2,     // Bad command line.
  kExitError = 3,     // Any other failure: bad input file, I/O, conflict.
  kExitWrongKey = 4,  // The root key does not open the store.
  kExitCorrupt = 5,   // Damaged data found (CORRUPT, verify failures).
};

// The streams a command reads and writes. `terminal` is true when `err`
// is a terminal (progress is shown only then); `input_terminal` when
// standard input is one (a passphrase is then typed without echo).
struct CliIo {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool terminal = false;
  bool input_terminal = false;
  // Set by RunTks for --passphrase, before the command reads its input.
  std::shared_ptr<const crypto::SecretString> passphrase = nullptr;
};

// Runs one tks command; `args` excludes the program name. Returns an
// ExitCode. Errors are one line on `io.err`. With --passphrase, the
// passphrase is read first: from the terminal without echo, or as the
// first line of `io.in`; the command's own input follows it.
int RunTks(std::span<const std::string> args, CliIo io);

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_CLI_H_

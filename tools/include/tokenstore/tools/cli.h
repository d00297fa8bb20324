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
#include <span>
#include <string>

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
// is a terminal (progress is shown only then).
struct CliIo {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool terminal = false;
};

// Runs one tks command; `args` excludes the program name. Returns an
// ExitCode. Errors are one line on `io.err`.
int RunTks(std::span<const std::string> args, CliIo io);

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_CLI_H_

// Pieces every tks command shares: the store and key flags, opening the
// store, errors and exit codes, how records and times are shown, reading
// secrets from the input stream.
#ifndef TOKENSTORE_TOOLS_CLI_COMMON_H_
#define TOKENSTORE_TOOLS_CLI_COMMON_H_

#include <chrono>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "args.h"
#include "tokenstore/crypto/secret.h"
#include "tokenstore/options.h"
#include "tokenstore/store.h"
#include "tokenstore/tools/cli.h"

namespace tks::tools {

// The environment variables tks reads.
inline constexpr char kStoreEnv[] = "TKS_STORE";
inline constexpr char kRootKeyEnv[] = "TKS_ROOT_KEY";

// --store, --key-file, --key-env, --passphrase and --help, plus `extra`.
FlagSpec StoreFlags(FlagSpec extra = {});

// The help lines for the store and key flags, shared by every command.
std::string_view StoreFlagsHelp();

// The store directory: --store, else $TKS_STORE. INVALID_ARGUMENT if none.
Result<std::string> StorePath(const Args& args);

// The key file used when no key flag is given: the store path with a
// ".key" suffix, beside (not inside) the store directory.
std::string DefaultKeyFile(const std::string& store_path);

// Where the root key comes from: --passphrase (io.passphrase, read by
// RunTks), else --key-file, else --key-env, else $TKS_ROOT_KEY when set,
// else DefaultKeyFile. INVALID_ARGUMENT when several are given.
Result<RootKeySource> KeySource(const Args& args, const std::string& store_path,
                                const CliIo& io);

// Opens the existing store the flags name (NOT_FOUND if there is none).
Result<std::unique_ptr<Store>> OpenStore(const Args& args, const CliIo& io);

// The exit code for a failed status.
int ExitCodeFor(const Status& status);

// Prints "tks <command>: CODE: message" on io.err; returns its exit code.
int Fail(CliIo& io, std::string_view command, const Status& status);

// Prints a usage error and a pointer to --help; returns kExitUsage.
int UsageError(CliIo& io, std::string_view command, std::string_view what);

// One "name  value" line per field, then generation and update time.
void PrintRecord(std::ostream& out, const Token& token, bool reveal);

// "6.2 µs", "1.35 ms", "2.04 s".
std::string FormatDuration(std::chrono::nanoseconds elapsed);

// Reads up to `max_lines` lines from `in` (LF or CRLF ends, the line end
// not kept) into wiped memory. Lines past the limit are an error.
Result<std::vector<crypto::SecretString>> ReadSecretLines(std::istream& in,
                                                          size_t max_lines);

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_CLI_COMMON_H_

// The connection flags of `tks import --from mysql` and `tks export --to
// mysql`, and the password from $TKS_MYSQL_PASSWORD or standard input.
#ifndef TOKENSTORE_TOOLS_MYSQL_FLAGS_H_
#define TOKENSTORE_TOOLS_MYSQL_FLAGS_H_

#include <string_view>

#include "args.h"
#include "tokenstore/tools/cli.h"
#include "tokenstore/tools/mysql_table.h"

namespace tks::tools {

inline constexpr char kMysqlPasswordEnv[] = "TKS_MYSQL_PASSWORD";

// Adds --host, --port, --socket, --database, --db-user, --table and
// --password-stdin to `spec`.
FlagSpec WithMysqlFlags(FlagSpec spec);

// Help lines for those flags.
std::string_view MysqlFlagsHelp();

// The target the flags describe. The password is the first line of
// standard input with --password-stdin, else $TKS_MYSQL_PASSWORD, else
// empty. INVALID_ARGUMENT for a bad port.
Result<MysqlTarget> MysqlTargetFromArgs(const Args& args, CliIo& io);

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_MYSQL_FLAGS_H_

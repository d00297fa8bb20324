#include "mysql_flags.h"

#include <charconv>
#include <cstdlib>

#include "cli_common.h"

namespace tks::tools {

FlagSpec WithMysqlFlags(FlagSpec spec) {
  spec.with_value.insert(
      {"host", "port", "socket", "database", "db-user", "table"});
  spec.switches.insert("password-stdin");
  return spec;
}

std::string_view MysqlFlagsHelp() {
  return "MySQL/MariaDB (--from mysql / --to mysql), as the SDK's DBStore:\n"
         "  --host H          server host (default localhost)\n"
         "  --port P          server port (default 3306)\n"
         "  --socket PATH     Unix socket instead of host and port\n"
         "  --database NAME   database (default zohooauth)\n"
         "  --db-user NAME    database user (default root)\n"
         "  --table NAME      table (default oauthtoken)\n"
         "  --password-stdin  read the password from the first input line;\n"
         "                    otherwise it comes from $TKS_MYSQL_PASSWORD\n";
}

Result<MysqlTarget> MysqlTargetFromArgs(const Args& args, CliIo& io) {
  // Step 1: the connection settings.
  MysqlTarget target;
  if (auto host = args.Value("host")) target.host = *host;
  if (auto socket = args.Value("socket")) target.socket = *socket;
  if (auto database = args.Value("database")) target.database = *database;
  if (auto user = args.Value("db-user")) target.user = *user;
  if (auto table = args.Value("table")) target.table = *table;
  if (auto port = args.Value("port")) {
    unsigned value = 0;
    const auto parsed =
        std::from_chars(port->data(), port->data() + port->size(), value);
    if (parsed.ec != std::errc() || parsed.ptr != port->data() + port->size() ||
        value == 0 || value > 65535) {
      return InvalidArgument("--port wants 1 to 65535");
    }
    target.port = value;
  }

  // Step 2: the password, never from the arguments.
  if (args.Has("password-stdin")) {
    TKS_ASSIGN_OR_RETURN(auto lines, ReadSecretLines(io.in, 1));
    if (!lines.empty()) target.password = std::move(lines[0]);
  } else if (const char* env = std::getenv(kMysqlPasswordEnv)) {
    target.password = crypto::SecretString(std::string_view(env));
  }
  return target;
}

}  // namespace tks::tools

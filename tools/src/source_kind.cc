#include "source_kind.h"

#include <fstream>

namespace tks::tools {

Result<FileKind> ParseFileKind(const std::string& name) {
  if (name == "csv") return FileKind::kCsv;
  if (name == "sqlite") return FileKind::kSqlite;
  if (name == "mysql") return FileKind::kMysql;
  return InvalidArgument("unknown kind '" + name +
                         "': use csv, sqlite or mysql");
}

FileKind SniffFileKind(const std::string& path) {
  constexpr std::string_view kMagic("SQLite format 3\0", 16);
  char head[16] = {};
  std::ifstream file(path, std::ios::binary);
  file.read(head, sizeof(head));
  if (file.gcount() == sizeof(head) &&
      std::string_view(head, sizeof(head)) == kMagic) {
    return FileKind::kSqlite;
  }
  return FileKind::kCsv;
}

FileKind KindFromExtension(const std::string& path) {
  for (std::string_view ext : {".db", ".sqlite", ".sqlite3"}) {
    if (path.size() > ext.size() &&
        path.compare(path.size() - ext.size(), ext.size(), ext) == 0) {
      return FileKind::kSqlite;
    }
  }
  return FileKind::kCsv;
}

}  // namespace tks::tools

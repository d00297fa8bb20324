// Reading the SDK token file: header, rows, tokens.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>

#include "csv_reader.h"
#include "tokenstore/tools/sdk_csv.h"

namespace tks::tools {
namespace {

constexpr size_t kLegacyColumns = 9;

std::string LinePrefix(size_t line) {
  return "line " + std::to_string(line) + ": ";
}

// Maps each header column to its field. The 9-column format must be the
// 10 fields without api_domain.
Result<std::vector<Field>> ParseHeader(const CsvRecord& header) {
  // Step 1: the column count names the format.
  const size_t columns = header.fields.size();
  if (columns != kFieldCount && columns != kLegacyColumns) {
    return InvalidArgument(LinePrefix(header.line) + "header has " +
                           std::to_string(columns) +
                           " columns, expected 10 (or 9 in the old format)");
  }

  // Step 2: every name known, none twice.
  std::vector<Field> fields;
  std::array<bool, kFieldCount> seen{};
  for (const auto& name : header.fields) {
    std::optional<Field> field = FieldFromName(name.view());
    if (!field) {
      return InvalidArgument(LinePrefix(header.line) +
                             "unknown header column '" +
                             std::string(name.view()) + "'");
    }
    const size_t index = static_cast<size_t>(*field);
    if (seen[index]) {
      return InvalidArgument(LinePrefix(header.line) + "header column '" +
                             std::string(name.view()) + "' appears twice");
    }
    seen[index] = true;
    fields.push_back(*field);
  }

  // Step 3: the old format lacks only api_domain.
  if (columns == kLegacyColumns &&
      seen[static_cast<size_t>(Field::kApiDomain)]) {
    return InvalidArgument(LinePrefix(header.line) +
                           "9-column header must omit api_domain");
  }
  return fields;
}

// Builds the token of one data row; empty fields stay null.
Result<Token> RowToken(const CsvRecord& row,
                       const std::vector<Field>& columns) {
  // Step 1: the row has the header's width.
  if (row.fields.size() != columns.size()) {
    return InvalidArgument(LinePrefix(row.line) + "expected " +
                           std::to_string(columns.size()) + " fields, found " +
                           std::to_string(row.fields.size()));
  }

  // Step 2: copy the non-empty fields into one buffer of the right size.
  size_t bytes = 0;
  for (const auto& field : row.fields) bytes += field.size();
  Token token;
  token.Reserve(bytes);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!row.fields[i].empty()) token.set(columns[i], row.fields[i].view());
  }

  // Step 3: the limits of DESIGN §2, naming line and field.
  Status valid = ValidateToken(token);
  if (!valid.ok()) {
    return Status(valid.code(), LinePrefix(row.line) + valid.message());
  }
  return token;
}

}  // namespace

Result<std::vector<SdkRow>> ParseSdkCsv(std::string_view text) {
  // Step 1: the header decides the columns.
  CsvReader reader(text);
  CsvRecord record;
  TKS_ASSIGN_OR_RETURN(bool has_header, reader.Next(record));
  if (!has_header) return InvalidArgument("empty token file: no header");
  TKS_ASSIGN_OR_RETURN(std::vector<Field> columns, ParseHeader(record));

  // Step 2: one token per data row, stopping at the first bad row.
  std::vector<SdkRow> rows;
  while (true) {
    TKS_ASSIGN_OR_RETURN(bool more, reader.Next(record));
    if (!more) break;
    TKS_ASSIGN_OR_RETURN(Token token, RowToken(record, columns));
    rows.push_back(SdkRow{std::move(token), record.line});
  }
  return rows;
}

Result<std::vector<SdkRow>> ReadSdkCsvFile(const std::string& path) {
  // Step 1: open; a missing file is NOT_FOUND.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) return NotFound("no such file: " + path);
    return Internal("cannot open " + path + ": " + std::strerror(error));
  }

  // Step 2: read it whole into wiped memory, sized once when the size is
  // known (growing would copy the text again).
  crypto::SecretString text;
  struct stat info {};
  if (::fstat(fd, &info) == 0 && info.st_size > 0) {
    text.reserve(static_cast<size_t>(info.st_size));
  }
  char buffer[1 << 16];
  while (true) {
    const ssize_t got = ::read(fd, buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int error = errno;
      ::close(fd);
      crypto::Wipe(buffer, sizeof(buffer));
      return Internal("cannot read " + path + ": " + std::strerror(error));
    }
    if (got == 0) break;
    text.append(buffer, static_cast<size_t>(got));
  }
  ::close(fd);
  crypto::Wipe(buffer, sizeof(buffer));

  // Step 3: parse, naming the file in any error.
  auto rows = ParseSdkCsv(text.view());
  if (!rows.ok()) {
    return Status(rows.status().code(), path + ": " + rows.status().message());
  }
  return rows;
}

}  // namespace tks::tools

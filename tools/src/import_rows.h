// The duplicate rule of `tks import`, the same for every source.
//
// - Two rows with the same id: the import stops (INVALID_ARGUMENT naming
//   both rows); nothing is imported.
// - Two rows holding the same refresh, access or grant token: the later
//   row (further down the file or table: the newer save in the SDK
//   stores) is imported and the earlier one is skipped. Every skipped row
//   is reported with its position and id.
// - Several rows of one user name: all are imported; a find by user name
//   returns the first imported. They are counted in the report.
#ifndef TOKENSTORE_TOOLS_IMPORT_ROWS_H_
#define TOKENSTORE_TOOLS_IMPORT_ROWS_H_

#include <string>
#include <vector>

#include "tokenstore/status.h"
#include "tokenstore/tools/sdk_csv.h"

namespace tks::tools {

struct ImportPlan {
  std::vector<Token> tokens;         // The rows to import, in source order.
  std::vector<size_t> positions;     // Their lines or row numbers.
  std::vector<std::string> skipped;  // One sentence per skipped row.
  size_t shared_user_rows = 0;       // Rows whose user name an earlier row has.
};

// Applies the rule to `rows` (consumed). `unit` is "line" or "row".
Result<ImportPlan> PlanImport(std::vector<SdkRow> rows,
                              const std::string& unit);

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_IMPORT_ROWS_H_

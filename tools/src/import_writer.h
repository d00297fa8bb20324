// Writes an import plan into the store: in one transaction, or in
// transactions of a fixed number of rows that a later run can resume.
#ifndef TOKENSTORE_TOOLS_IMPORT_WRITER_H_
#define TOKENSTORE_TOOLS_IMPORT_WRITER_H_

#include <cstddef>
#include <string>

#include "import_rows.h"
#include "progress.h"
#include "tokenstore/store.h"

namespace tks::tools {

struct ImportCounts {
  size_t written = 0;          // Records this run inserted.
  size_t already_present = 0;  // Rows --resume found already imported.
};

// With `resume`, first drops the rows whose id the store already holds
// with the same fields (an earlier, interrupted run imported them); a row
// whose id is there with other fields still fails. Then inserts the rest:
// all in one transaction when `batch` is 0, else `batch` rows per
// transaction. A failure names the line or row (`unit`) and, in batch
// mode, how many records went in before it.
Status WriteImport(Store& store, ImportPlan& plan, size_t batch, bool resume,
                   const std::string& unit, Progress& progress,
                   ImportCounts& counts);

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_IMPORT_WRITER_H_

// CsvReader: splits CSV text into records of fields (minimal RFC 4180).
#ifndef TOKENSTORE_TOOLS_CSV_READER_H_
#define TOKENSTORE_TOOLS_CSV_READER_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "tokenstore/crypto/secret.h"
#include "tokenstore/status.h"

namespace tks::tools {

// One CSV record: its fields and the 1-based line it starts on.
struct CsvRecord {
  std::vector<crypto::SecretString> fields;
  size_t line = 0;
};

// Reads records one at a time from text it does not own.
// REQUIRES: the text outlives the reader.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text);

  // Fills `record` with the next non-blank record and returns true; false
  // at the end. INVALID_ARGUMENT naming the line for broken quoting.
  Result<bool> Next(CsvRecord& record);

 private:
  // Reads one field starting at pos_ into `field`.
  Status ReadField(crypto::SecretString& field);
  Status ReadQuotedField(crypto::SecretString& field);
  // True (and moves past it) when a line end starts at pos_.
  bool ConsumeLineEnd();
  bool AtEnd() const { return pos_ >= text_.size(); }

  std::string_view text_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_CSV_READER_H_

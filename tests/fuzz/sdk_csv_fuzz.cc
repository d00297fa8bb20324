// libFuzzer target: the SDK token file parser (tools/, ParseSdkCsv). Any
// input is parsed or refused with INVALID_ARGUMENT, never a crash; what
// parses, written back with AppendSdkCsvRow (reveal) and parsed again,
// gives the same tokens.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tokenstore/tools/sdk_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // Step 1: parse.
  auto rows = tks::tools::ParseSdkCsv(input);
  if (!rows.ok()) {
    if (rows.status().code() != tks::Code::kInvalidArgument) std::abort();
    return 0;
  }

  // Step 2: write back and parse again: the same tokens.
  tks::crypto::SecretString text;
  const std::string header = tks::tools::SdkCsvHeader();
  text.append(header.data(), header.size());
  for (const tks::tools::SdkRow& row : rows.value()) {
    tks::tools::AppendSdkCsvRow(row.token, /*reveal=*/true, text);
  }
  auto again = tks::tools::ParseSdkCsv(text.view());
  if (!again.ok() || again->size() != rows->size()) std::abort();
  for (size_t i = 0; i < rows->size(); ++i) {
    if (!(*again)[i].token.SameFields((*rows)[i].token)) std::abort();
  }
  return 0;
}

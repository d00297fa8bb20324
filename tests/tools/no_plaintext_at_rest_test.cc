// After `tks import` of the 10k sample file, no token, client secret or
// user name from it occurs in any file of the store directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli_harness.h"

namespace tks::testing {
namespace {

// Finds any of many needles in a text in one pass: each needle is keyed
// by its first kAnchor bytes, and each anchor hit is checked in full.
class NeedleScanner {
 public:
  static constexpr size_t kAnchor = 16;

  explicit NeedleScanner(const std::vector<std::string>& needles) {
    for (const std::string& needle : needles) {
      EXPECT_GE(needle.size(), kAnchor) << "needle too short to scan for";
      if (needle.size() >= kAnchor) {
        by_anchor_[needle.substr(0, kAnchor)].push_back(needle);
      }
    }
  }

  // How many needle occurrences `text` holds.
  size_t CountIn(std::string_view text) const {
    size_t hits = 0;
    for (size_t i = 0; i + kAnchor <= text.size(); ++i) {
      auto it = by_anchor_.find(std::string(text.substr(i, kAnchor)));
      if (it == by_anchor_.end()) continue;
      for (const std::string& needle : it->second) {
        if (text.compare(i, needle.size(), needle) == 0) ++hits;
      }
    }
    return hits;
  }

 private:
  std::unordered_map<std::string, std::vector<std::string>> by_anchor_;
};

TEST(NoPlaintextAtRest, StoreFilesHoldNoSecretOfThe10kImport) {
  // Step 1: the secrets of the file, distinct.
  const std::string file =
      std::string(TKS_SHARED_DATA_DIR) + "/sdk_tokens_10k.txt";
  auto rows = tools::ReadSdkCsvFile(file);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  std::vector<std::string> secrets = SecretValues(*rows);
  std::sort(secrets.begin(), secrets.end());
  secrets.erase(std::unique(secrets.begin(), secrets.end()), secrets.end());
  ASSERT_GT(secrets.size(), 30000u);
  NeedleScanner scanner(secrets);

  // Step 2: the scanner sees them in the plaintext file (so it can fail).
  EXPECT_GE(scanner.CountIn(ReadWholeFile(file)), secrets.size());

  // Step 3: import with the CLI.
  TempDir dir;
  const std::string store = dir.Sub("store");
  ASSERT_EQ(RunInProcess({"init", "--store", store}).exit_code, 0);
  CliRun import = RunInProcess({"import", "--store", store, file});
  ASSERT_EQ(import.exit_code, 0) << import.err;

  // Step 4: every file of the store directory is clean.
  size_t files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(store)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string bytes = ReadWholeFile(entry.path().string());
    EXPECT_EQ(scanner.CountIn(bytes), 0u) << entry.path();
  }
  EXPECT_GE(files, 1u);
}

}  // namespace
}  // namespace tks::testing

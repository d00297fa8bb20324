// Helpers shared by the engine tests: stores in private temporary
// directories and tokens built from field lists.
#ifndef TOKENSTORE_TESTS_SUPPORT_TEST_STORE_H_
#define TOKENSTORE_TESTS_SUPPORT_TEST_STORE_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

#include "tokenstore/crypto/secret.h"
#include "tokenstore/store.h"

namespace tks::testing {

// A temporary directory removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "tks-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A fixed root key for tests that reopen a store.
inline std::shared_ptr<const crypto::SecretKey> TestKey(char fill = 'k') {
  auto key = crypto::SecretKey::FromBytes(std::string(32, fill));
  return std::make_shared<const crypto::SecretKey>(std::move(key.value()));
}

inline Options TestOptions(const std::string& path, char key_fill = 'k') {
  Options options;
  options.path = path;
  options.root_key.key = TestKey(key_fill);
  options.durability = Durability::kNoSync;
  return options;
}

inline std::unique_ptr<Store> OpenOrDie(const Options& options) {
  auto store = Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store.value()) : nullptr;
}

inline std::unique_ptr<Store> OpenEphemeral() {
  Options options;
  options.ephemeral = true;
  return OpenOrDie(options);
}

// MakeToken({{Field::kUserName, "a"}, {Field::kAccessToken, "x"}}).
inline Token MakeToken(
    std::initializer_list<std::pair<Field, std::string>> fields) {
  Token token;
  for (const auto& [field, value] : fields) token.set(field, value);
  return token;
}

}  // namespace tks::testing

#endif  // TOKENSTORE_TESTS_SUPPORT_TEST_STORE_H_

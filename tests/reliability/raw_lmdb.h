// Direct access to a closed store's LMDB file with the LMDB C API, for
// tests that damage stored bytes the way a disk or an attacker would.
// REQUIRES: no Store has the directory open in this process.
#ifndef TOKENSTORE_TESTS_RELIABILITY_RAW_LMDB_H_
#define TOKENSTORE_TESTS_RELIABILITY_RAW_LMDB_H_

#include <lmdb.h>

#include <map>
#include <string>

namespace tks::reliability {

class RawLmdb {
 public:
  // Opens the environment at `dir` and begins one write transaction.
  explicit RawLmdb(const std::string& dir);
  // Commits the transaction (if Commit was not called) and closes.
  ~RawLmdb();
  RawLmdb(const RawLmdb&) = delete;
  RawLmdb& operator=(const RawLmdb&) = delete;

  bool ok() const { return txn_ != nullptr; }
  // Every key and value of a named database.
  std::map<std::string, std::string> ReadAll(const std::string& db);
  bool Put(const std::string& db, const std::string& key,
           const std::string& value);
  bool Commit();

 private:
  MDB_dbi Dbi(const std::string& db);
  MDB_env* env_ = nullptr;
  MDB_txn* txn_ = nullptr;
};

}  // namespace tks::reliability

#endif  // TOKENSTORE_TESTS_RELIABILITY_RAW_LMDB_H_

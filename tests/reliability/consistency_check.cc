#include "consistency_check.h"

#include <map>
#include <optional>

#include "layout.h"
#include "lmdb_wrap.h"
#include "record_codec.h"
#include "store_impl.h"

namespace tks::reliability {
namespace {

using RecordMap = std::map<uint64_t, Token>;

// Visits every (key, value) of one database.
template <typename Visit>
Status ForEach(MDB_txn* txn, MDB_dbi dbi, Visit visit) {
  TKS_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, dbi));
  MDB_val key{};
  MDB_val data{};
  for (MDB_cursor_op op = MDB_FIRST;; op = MDB_NEXT) {
    TKS_ASSIGN_OR_RETURN(bool more, cursor.Get(&key, &data, op));
    if (!more) return Status::Ok();
    visit(lmdb::View(key), lmdb::View(data));
  }
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

class Checker {
 public:
  Checker(const Store::Impl& impl, const KeyState& keys, MDB_txn* txn,
          ConsistencyReport* report)
      : impl_(impl), keys_(keys), txn_(txn), report_(report) {}

  Status Run() {
    // Step 1: every record opens; keep them for the index checks.
    TKS_RETURN_IF_ERROR(LoadRecords());

    // Step 2: the id index, both ways.
    TKS_RETURN_IF_ERROR(CheckIdIndex());

    // Step 3: the field indexes, both ways.
    TKS_RETURN_IF_ERROR(CheckUserIndex());
    for (const layout::UniqueIndex& index : layout::kUniqueIndexes) {
      TKS_RETURN_IF_ERROR(CheckUniqueIndex(index));
    }
    TKS_RETURN_IF_ERROR(CheckExpiryIndex());

    // Step 4: the keyed index set not in use is empty unless an index
    // key change is building it.
    if (!keys_.pending_indexer) {
      const layout::KeyedDatabases& other = keys_.pending_indexes;
      for (MDB_dbi dbi : {other.idx_user, other.idx_refresh, other.idx_access,
                          other.idx_grant}) {
        TKS_ASSIGN_OR_RETURN(uint64_t stale, lmdb::Count(txn_, dbi));
        if (stale > 0) Problem("the keyed index set not in use has entries");
      }
    }

    // Step 5: leases only for live records.
    return ForEach(
        txn_, impl_.dbs().leases, [&](std::string_view key, std::string_view) {
          if (key.size() != 8 || !records_.count(layout::DecodeSeq(key))) {
            Problem("lease for a missing record");
          }
        });
  }

 private:
  void Problem(std::string text) {
    report_->problems.push_back(std::move(text));
  }

  const Token* RecordAt(std::string_view seq_bytes, std::string_view what) {
    if (seq_bytes.size() != 8) {
      Problem(std::string(what) + ": malformed sequence");
      return nullptr;
    }
    const uint64_t seq = layout::DecodeSeq(seq_bytes);
    auto it = records_.find(seq);
    if (it == records_.end()) {
      Problem(std::string(what) + ": points to missing record seq " +
              std::to_string(seq));
      return nullptr;
    }
    return &it->second;
  }

  Status LoadRecords() {
    return ForEach(txn_, impl_.dbs().records,
                   [&](std::string_view key, std::string_view value) {
                     if (key.size() != 8)
                       return Problem("record key malformed");
                     const uint64_t seq = layout::DecodeSeq(key);
                     Token token;
                     Status opened =
                         codec::OpenRecord(keys_.keyring, seq, value, &token);
                     if (!opened.ok()) {
                       return Problem("record seq " + std::to_string(seq) +
                                      " does not open: " + opened.ToString());
                     }
                     ++report_->records;
                     records_.emplace(seq, std::move(token));
                   });
  }

  Status CheckIdIndex() {
    uint64_t entries = 0;
    TKS_RETURN_IF_ERROR(ForEach(
        txn_, impl_.dbs().idx_id,
        [&](std::string_view id, std::string_view seq_bytes) {
          ++entries;
          ++report_->index_entries;
          const Token* record = RecordAt(seq_bytes, "id index");
          if (record != nullptr && record->id() != id) {
            Problem("id index entry '" + std::string(id) +
                    "' points to record '" + std::string(record->id()) + "'");
          }
        }));
    if (entries != records_.size()) {
      Problem("record count " + std::to_string(records_.size()) +
              " != id index count " + std::to_string(entries));
    }
    return Status::Ok();
  }

  Status CheckUserIndex() {
    uint64_t entries = 0;
    TKS_RETURN_IF_ERROR(ForEach(
        txn_, keys_.indexes.idx_user,
        [&](std::string_view key, std::string_view) {
          ++entries;
          ++report_->index_entries;
          if (key.size() != 24) return Problem("user index key malformed");
          const Token* record = RecordAt(key.substr(16), "user index");
          if (record == nullptr) return;
          const crypto::BlindHash hash = keys_.indexer.Hash(
              crypto::IndexSlot::kUserName, record->view(Field::kUserName));
          if (layout::View(hash) != key.substr(0, 16)) {
            Problem("user index entry does not match record '" +
                    std::string(record->id()) + "'");
          }
        }));
    ExpectCount("user index", entries, Field::kUserName);
    return Status::Ok();
  }

  Status CheckUniqueIndex(const layout::UniqueIndex& index) {
    uint64_t entries = 0;
    TKS_RETURN_IF_ERROR(
        ForEach(txn_, keys_.indexes.*index.dbi,
                [&](std::string_view key, std::string_view seq_bytes) {
                  ++entries;
                  ++report_->index_entries;
                  const Token* record = RecordAt(seq_bytes, index.name);
                  if (record == nullptr) return;
                  const crypto::BlindHash hash =
                      keys_.indexer.Hash(index.slot, record->view(index.field));
                  if (!record->has(index.field) || layout::View(hash) != key) {
                    Problem(std::string(index.name) + " entry " + Hex(key) +
                            " does not match record '" +
                            std::string(record->id()) + "'");
                  }
                }));
    ExpectCount(index.name, entries, index.field);
    return Status::Ok();
  }

  Status CheckExpiryIndex() {
    uint64_t entries = 0;
    TKS_RETURN_IF_ERROR(ForEach(
        txn_, impl_.dbs().idx_expiry,
        [&](std::string_view key, std::string_view) {
          ++entries;
          ++report_->index_entries;
          if (key.size() != 16) return Problem("expiry key malformed");
          const Token* record = RecordAt(key.substr(8), "expiry index");
          if (record == nullptr) return;
          const auto expiry = ParseExpiryMs(record->view(Field::kExpiryTime));
          if (!expiry || *expiry != layout::GetU64(key.data())) {
            Problem("expiry entry does not match record '" +
                    std::string(record->id()) + "'");
          }
        }));
    uint64_t expected = 0;
    for (const auto& [seq, record] : records_) {
      expected += ParseExpiryMs(record.view(Field::kExpiryTime)).has_value();
    }
    if (entries != expected) {
      Problem("expiry index has " + std::to_string(entries) + " entries for " +
              std::to_string(expected) + " records");
    }
    return Status::Ok();
  }

  // Every record with a non-empty value in `field` has exactly one entry.
  void ExpectCount(std::string_view what, uint64_t entries, Field field) {
    uint64_t expected = 0;
    for (const auto& [seq, record] : records_) {
      expected += record.has(field) && !record.view(field).empty();
    }
    if (entries != expected) {
      Problem(std::string(what) + " has " + std::to_string(entries) +
              " entries for " + std::to_string(expected) + " records");
    }
  }

  const Store::Impl& impl_;
  const KeyState& keys_;  // The keys of the snapshot checked.
  MDB_txn* txn_;
  ConsistencyReport* report_;
  RecordMap records_;
};

}  // namespace

std::string ConsistencyReport::Summary() const {
  std::string text = std::to_string(records) + " records, " +
                     std::to_string(index_entries) + " index entries, " +
                     std::to_string(problems.size()) + " problems";
  for (size_t i = 0; i < problems.size() && i < 20; ++i) {
    text += "\n  " + problems[i];
  }
  return text;
}

ConsistencyReport CheckConsistency(const Store& store) {
  ConsistencyReport report;
  const Store::Impl& impl = store.impl();
  Status read = impl.Read([&](MDB_txn* txn) -> Status {
    TKS_ASSIGN_OR_RETURN(const KeyState* keys, impl.KeysAt(txn));
    return Checker(impl, *keys, txn, &report).Run();
  });
  if (!read.ok()) report.problems.push_back("read failed: " + read.ToString());
  return report;
}

}  // namespace tks::reliability

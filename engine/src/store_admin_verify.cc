// VerifyStore: every record opens and has its index entries; every index
// entry points to a record whose field hashes to it.
#include <set>

#include "admin_index.h"
#include "lmdb_wrap.h"
#include "record_codec.h"
#include "store_impl.h"
#include "tokenstore/admin.h"

namespace tks {
namespace {

using admin_index::IndexInfo;

constexpr uint64_t kProgressEvery = 4096;

// How reading one record went.
enum class RecordState { kOpened, kMissing, kDamaged };

class Verifier {
 public:
  Verifier(const Store::Impl& impl, const KeyState& keys, MDB_txn* txn,
           const VerifyProgress& progress, VerifyReport& report)
      : impl_(impl),
        keys_(keys),
        txn_(txn),
        progress_(progress),
        report_(report) {}

  // Pass 1: each record, and the entries it needs.
  Status CheckRecords();
  // Pass 2: each entry of `index` in database `dbi`, and the record it
  // names, whose field must make it with `indexer`. `label` names the
  // index in problems.
  Status CheckIndex(const IndexInfo& index, const crypto::BlindIndexer& indexer,
                    MDB_dbi dbi, const std::string& label);
  // The keyed index set not in use: while an index key change is pending,
  // each entry there must be right for the pending key (it may lack some
  // while being built); otherwise it must be empty.
  Status CheckOtherSet();

 private:
  RecordState OpenAt(uint64_t seq, Token* out);
  void CheckEntriesOf(uint64_t seq, const Token& record);
  void Problem(std::string sentence);
  void Tick();

  const Store::Impl& impl_;
  const KeyState& keys_;  // The keys of the snapshot checked.
  MDB_txn* txn_;
  const VerifyProgress& progress_;
  VerifyReport& report_;
  std::set<uint64_t> damaged_seqs_;
  uint64_t done_ = 0;
};

void Verifier::Problem(std::string sentence) {
  ++report_.problem_count;
  if (report_.problems.size() < VerifyReport::kMaxProblems) {
    report_.problems.push_back(std::move(sentence));
  }
}

void Verifier::Tick() {
  if (++done_ % kProgressEvery == 0 && progress_) progress_(done_);
}

RecordState Verifier::OpenAt(uint64_t seq, Token* out) {
  const layout::SeqKey key = layout::EncodeSeq(seq);
  std::string_view value;
  bool found = false;
  Status got =
      lmdb::Get(txn_, impl_.dbs().records, layout::View(key), &value, &found);
  if (!got.ok() || !found) return RecordState::kMissing;
  Status opened = codec::OpenRecord(keys_.keyring, seq, value, out);
  return opened.ok() ? RecordState::kOpened : RecordState::kDamaged;
}

Status Verifier::CheckRecords() {
  TKS_ASSIGN_OR_RETURN(lmdb::Cursor cursor,
                       lmdb::Cursor::Open(txn_, impl_.dbs().records));
  MDB_val key{};
  MDB_val value{};
  MDB_cursor_op op = MDB_FIRST;
  while (true) {
    // Step 1: the next record.
    TKS_ASSIGN_OR_RETURN(bool more, cursor.Get(&key, &value, op));
    op = MDB_NEXT;
    if (!more) return Status::Ok();
    ++report_.records_checked;
    Tick();
    if (key.mv_size != 8) {
      Problem("records: a key of " + std::to_string(key.mv_size) +
              " bytes is not a sequence");
      continue;
    }
    const uint64_t seq = layout::DecodeSeq(lmdb::View(key));

    // Step 2: it opens, or it is reported by id.
    Token record;
    Status opened =
        codec::OpenRecord(keys_.keyring, seq, lmdb::View(value), &record);
    if (!opened.ok()) {
      damaged_seqs_.insert(seq);
      auto header = codec::ParseHeader(lmdb::View(value), seq);
      const std::string id =
          header.ok() ? std::string(header->id) : "(unreadable)";
      report_.corrupt_ids.push_back(id);
      Problem("record id " + id + " (sequence " + std::to_string(seq) +
              "): " + opened.ToString());
      continue;
    }

    // Step 3: the entries its fields call for.
    CheckEntriesOf(seq, record);
  }
}

void Verifier::CheckEntriesOf(uint64_t seq, const Token& record) {
  for (const IndexInfo& index : admin_index::kIndexes) {
    auto entry = admin_index::ExpectedEntry(keys_.indexer, index, seq, record);
    if (!entry) continue;
    std::string_view stored;
    bool found = false;
    Status got =
        lmdb::Get(txn_, admin_index::DatabaseOf(index, impl_, keys_.indexes),
                  entry->key, &stored, &found);
    if (!got.ok() || !found) {
      Problem(std::string(index.name) + " index: no entry for record id " +
              std::string(record.id()));
    } else if (stored != entry->value) {
      Problem(std::string(index.name) + " index: the entry of record id " +
              std::string(record.id()) + " points elsewhere");
    }
  }
}

Status Verifier::CheckIndex(const IndexInfo& index,
                            const crypto::BlindIndexer& indexer, MDB_dbi dbi,
                            const std::string& label) {
  TKS_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn_, dbi));
  MDB_val key{};
  MDB_val value{};
  MDB_cursor_op op = MDB_FIRST;
  const std::string& name = label;
  while (true) {
    // Step 1: the next entry and the record it names.
    TKS_ASSIGN_OR_RETURN(bool more, cursor.Get(&key, &value, op));
    op = MDB_NEXT;
    if (!more) return Status::Ok();
    ++report_.entries_checked;
    Tick();
    const std::optional<uint64_t> seq =
        admin_index::EntrySeq(index, lmdb::View(key), lmdb::View(value));
    if (!seq) {
      Problem(name + " index: a malformed entry");
      continue;
    }
    if (damaged_seqs_.count(*seq) > 0) continue;  // Reported in pass 1.

    // Step 2: the record exists and its field makes exactly this entry.
    Token record;
    const RecordState state = OpenAt(*seq, &record);
    if (state != RecordState::kOpened) {
      Problem(name + " index: orphan entry for sequence " +
              std::to_string(*seq) + " (no such record)");
      continue;
    }
    auto expected = admin_index::ExpectedEntry(indexer, index, *seq, record);
    if (!expected || expected->key != lmdb::View(key) ||
        expected->value != lmdb::View(value)) {
      Problem(name + " index: orphan entry naming record id " +
              std::string(record.id()) + ", which does not hold its value");
    }
  }
}

Status Verifier::CheckOtherSet() {
  for (const IndexInfo& index : admin_index::kIndexes) {
    if (!index.keyed()) continue;
    const MDB_dbi dbi = keys_.pending_indexes.*index.keyed_dbi;
    if (keys_.pending_indexer) {
      TKS_RETURN_IF_ERROR(
          CheckIndex(index, *keys_.pending_indexer, dbi,
                     std::string(index.name) + " (pending index key)"));
      continue;
    }
    TKS_ASSIGN_OR_RETURN(uint64_t stale, lmdb::Count(txn_, dbi));
    if (stale > 0) {
      Problem(std::string(index.name) + " index: the index set not in use " +
              "holds " + std::to_string(stale) + " entries");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<VerifyReport> VerifyStore(const Store& store,
                                 const VerifyProgress& progress) {
  const Store::Impl& impl = store.impl();
  TKS_RETURN_IF_ERROR(impl.CheckFork());
  VerifyReport report;
  TKS_RETURN_IF_ERROR(impl.Read([&](MDB_txn* txn) {
    // One snapshot for both passes, checked with its own keys.
    report = VerifyReport();
    TKS_ASSIGN_OR_RETURN(const KeyState* keys, impl.KeysAt(txn));
    Verifier verifier(impl, *keys, txn, progress, report);
    TKS_RETURN_IF_ERROR(verifier.CheckRecords());
    for (const auto& index : admin_index::kIndexes) {
      TKS_RETURN_IF_ERROR(verifier.CheckIndex(
          index, keys->indexer,
          admin_index::DatabaseOf(index, impl, keys->indexes),
          std::string(index.name)));
    }
    return verifier.CheckOtherSet();
  }));
  return report;
}

}  // namespace tks

// The SDK's in-process list store: a vector of records, every call a
// linear scan. Single-threaded, as the SDK's is.
#include <algorithm>
#include <string>
#include <vector>

#include "peers/peer_factories.h"
#include "peers/sdk_rules.h"

namespace tks::bench {
namespace {

struct List {
  std::vector<Record> records;
  uint64_t next_id = 1;
};

class ListSession : public Session {
 public:
  explicit ListSession(List& list) : list_(list) {}

  Result<bool> Find(FindPath path, const Record& probe, Record* out) override {
    for (const Record& record : list_.records) {
      if (MatchesRule(path, probe, record)) {
        *out = record;
        return true;
      }
    }
    return false;
  }

  Result<bool> FindById(std::string_view id, Record* out) override {
    const Record* found = ById(id);
    if (found == nullptr) return false;
    *out = *found;
    return true;
  }

  Status Save(Record& record) override {
    if (record.id().empty()) {
      record.at(Field::kId) = std::to_string(list_.next_id++);
      record.generation = 1;
      list_.records.push_back(record);
      return Status::Ok();
    }
    Record* stored = ById(record.id());
    if (stored == nullptr) return NotFound("no such id");
    record.generation = stored->generation + 1;
    *stored = record;
    return Status::Ok();
  }

  Status Delete(std::string_view id) override {
    const auto it =
        std::find_if(list_.records.begin(), list_.records.end(),
                     [&](const Record& record) { return record.id() == id; });
    if (it == list_.records.end()) return NotFound("no such id");
    list_.records.erase(it);
    return Status::Ok();
  }

  Result<size_t> Scan() override {
    size_t count = 0;
    Record copy;
    for (const Record& record : list_.records) {
      copy = record;
      ++count;
    }
    return count;
  }

  Result<size_t> PurgeExpired(uint64_t before_ms) override {
    return std::erase_if(list_.records, [&](const Record& record) {
      return std::stoull(record.at(Field::kExpiryTime)) < before_ms;
    });
  }

 private:
  Record* ById(std::string_view id) {
    for (Record& record : list_.records) {
      if (record.id() == id) return &record;
    }
    return nullptr;
  }

  List& list_;
};

class ListPeer : public Peer {
 public:
  std::string_view name() const override { return "sdk-list"; }
  PeerTraits traits() const override {
    PeerTraits traits;
    traits.max_records = 100000;
    traits.concurrent_reads = false;
    traits.compare_and_swap = false;
    return traits;
  }

  Status Load(std::span<const Record> records) override {
    list_.records.assign(records.begin(), records.end());
    for (Record& record : list_.records) record.generation = 1;
    list_.next_id = records.size() + 1;
    return Status::Ok();
  }

  Result<std::unique_ptr<Session>> NewSession() override {
    std::unique_ptr<Session> session = std::make_unique<ListSession>(list_);
    return session;
  }

 private:
  List list_;
};

}  // namespace

std::unique_ptr<Peer> NewListPeer() { return std::make_unique<ListPeer>(); }

}  // namespace tks::bench

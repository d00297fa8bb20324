// std::unordered_map in process: the no-storage ceiling. One map holds the
// records by id, one per indexed field maps a value to an id; a
// shared_mutex lets finds run in parallel.
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "peers/peer_factories.h"

namespace tks::bench {
namespace {

using Index = std::unordered_map<std::string, std::string>;

struct Maps {
  std::unordered_map<std::string, Record> records;
  Index by_user, by_refresh, by_access, by_grant;
  uint64_t next_id = 1;
  mutable std::shared_mutex mu;

  Index& IndexOf(Field field) {
    switch (field) {
      case Field::kUserName:
        return by_user;
      case Field::kRefreshToken:
        return by_refresh;
      case Field::kAccessToken:
        return by_access;
      default:
        return by_grant;
    }
  }

  // Moves the index entries of one record from `old` to `now`.
  void Reindex(const std::string& id, const Record* old, const Record* now) {
    for (Field field : {Field::kUserName, Field::kRefreshToken,
                        Field::kAccessToken, Field::kGrantToken}) {
      Index& index = IndexOf(field);
      if (old != nullptr) {
        auto it = index.find(old->at(field));
        if (it != index.end() && it->second == id) index.erase(it);
      }
      if (now != nullptr) index.emplace(now->at(field), id);
    }
  }
};

class HashMapSession : public Session {
 public:
  explicit HashMapSession(Maps& maps) : maps_(maps) {}

  Result<bool> Find(FindPath path, const Record& probe, Record* out) override {
    const Field field = path == FindPath::kUser      ? Field::kUserName
                        : path == FindPath::kAccess  ? Field::kAccessToken
                        : path == FindPath::kRefresh ? Field::kRefreshToken
                                                     : Field::kGrantToken;
    std::shared_lock lock(maps_.mu);
    const Index& index = maps_.IndexOf(field);
    auto hit = index.find(probe.at(field));
    if (hit == index.end()) return false;
    *out = maps_.records.at(hit->second);
    return true;
  }

  Result<bool> FindById(std::string_view id, Record* out) override {
    std::shared_lock lock(maps_.mu);
    auto hit = maps_.records.find(std::string(id));
    if (hit == maps_.records.end()) return false;
    *out = hit->second;
    return true;
  }

  Status Save(Record& record) override { return SaveChecked(record, nullptr); }
  Status SaveIf(Record& record, uint64_t expected) override {
    return SaveChecked(record, &expected);
  }

  Status Delete(std::string_view id) override {
    std::unique_lock lock(maps_.mu);
    auto hit = maps_.records.find(std::string(id));
    if (hit == maps_.records.end()) return NotFound("no such id");
    maps_.Reindex(hit->first, &hit->second, nullptr);
    maps_.records.erase(hit);
    return Status::Ok();
  }

  Result<size_t> Scan() override {
    std::shared_lock lock(maps_.mu);
    size_t count = 0;
    Record copy;
    for (const auto& [id, record] : maps_.records) {
      copy = record;
      ++count;
    }
    return count;
  }

  Result<size_t> PurgeExpired(uint64_t before_ms) override {
    std::unique_lock lock(maps_.mu);
    size_t removed = 0;
    for (auto it = maps_.records.begin(); it != maps_.records.end();) {
      if (std::stoull(it->second.at(Field::kExpiryTime)) < before_ms) {
        maps_.Reindex(it->first, &it->second, nullptr);
        it = maps_.records.erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
    return removed;
  }

 private:
  Status SaveChecked(Record& record, const uint64_t* expected) {
    std::unique_lock lock(maps_.mu);
    if (record.id().empty()) {
      record.at(Field::kId) = std::to_string(maps_.next_id++);
      record.generation = 1;
      maps_.Reindex(record.id(), nullptr, &record);
      maps_.records.emplace(record.id(), record);
      return Status::Ok();
    }
    auto hit = maps_.records.find(record.id());
    if (hit == maps_.records.end()) return NotFound("no such id");
    if (expected != nullptr && hit->second.generation != *expected) {
      return Conflict("generation changed");
    }
    record.generation = hit->second.generation + 1;
    maps_.Reindex(record.id(), &hit->second, &record);
    hit->second = record;
    return Status::Ok();
  }

  Maps& maps_;
};

class HashMapPeer : public Peer {
 public:
  std::string_view name() const override { return "hash-map"; }
  PeerTraits traits() const override { return PeerTraits(); }

  Status Load(std::span<const Record> records) override {
    for (const Record& record : records) {
      Record copy = record;
      copy.generation = 1;
      maps_.Reindex(copy.id(), nullptr, &copy);
      maps_.records.emplace(copy.id(), std::move(copy));
    }
    maps_.next_id = records.size() + 1;
    return Status::Ok();
  }

  Result<std::unique_ptr<Session>> NewSession() override {
    std::unique_ptr<Session> session = std::make_unique<HashMapSession>(maps_);
    return session;
  }

 private:
  Maps maps_;
};

}  // namespace

std::unique_ptr<Peer> NewHashMapPeer() {
  return std::make_unique<HashMapPeer>();
}

}  // namespace tks::bench

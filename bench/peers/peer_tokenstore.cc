// tokenstore through its public API, as an application would use it.
#include <string>

#include "peers/peer_factories.h"
#include "tokenstore/crypto/secret.h"
#include "tokenstore/store.h"

namespace tks::bench {
namespace {

Token ToToken(const Record& record) {
  Token token;
  for (Field field : kAllFields) {
    if (!record.at(field).empty()) token.set(field, record.at(field));
  }
  return token;
}

void ToRecord(const Token& token, Record* out) {
  for (Field field : kAllFields) out->at(field).assign(token.view(field));
  out->generation = token.generation();
}

// The query a caller of the SDK sends for each rule.
Token QueryFor(FindPath path, const Record& probe) {
  Token query;
  switch (path) {
    case FindPath::kUser:
      query.set(Field::kUserName, probe.at(Field::kUserName));
      break;
    case FindPath::kAccess:
      query.set(Field::kAccessToken, probe.at(Field::kAccessToken));
      break;
    case FindPath::kRefresh:
    case FindPath::kGrant: {
      const Field token = path == FindPath::kRefresh ? Field::kRefreshToken
                                                     : Field::kGrantToken;
      query.set(token, probe.at(token));
      query.set(Field::kClientId, probe.at(Field::kClientId));
      query.set(Field::kClientSecret, probe.at(Field::kClientSecret));
      break;
    }
  }
  return query;
}

class TokenstoreSession : public Session {
 public:
  explicit TokenstoreSession(Store& store) : store_(store) {}

  Result<bool> Find(FindPath path, const Record& probe, Record* out) override {
    TKS_ASSIGN_OR_RETURN(std::optional<Token> found,
                         store_.FindToken(QueryFor(path, probe)));
    if (!found) return false;
    ToRecord(*found, out);
    return true;
  }

  Result<bool> FindById(std::string_view id, Record* out) override {
    Result<Token> found = store_.FindTokenById(id);
    if (!found.ok() && found.status().code() == Code::kNotFound) {
      return false;
    }
    TKS_RETURN_IF_ERROR(found.status());
    ToRecord(*found, out);
    return true;
  }

  Status Save(Record& record) override {
    Token token = ToToken(record);
    TKS_RETURN_IF_ERROR(store_.SaveToken(token));
    record.at(Field::kId).assign(token.id());
    record.generation = token.generation();
    return Status::Ok();
  }

  Status SaveIf(Record& record, uint64_t expected) override {
    Token token = ToToken(record);
    TKS_RETURN_IF_ERROR(store_.SaveTokenIf(token, expected));
    record.generation = token.generation();
    return Status::Ok();
  }

  Status Delete(std::string_view id) override { return store_.DeleteToken(id); }

  Result<size_t> Scan() override {
    std::unique_ptr<TokenCursor> cursor = store_.NewCursor();
    size_t count = 0;
    for (;;) {
      TKS_ASSIGN_OR_RETURN(std::optional<Token> next, cursor->Next());
      if (!next) return count;
      ++count;
    }
  }

  Result<size_t> PurgeExpired(uint64_t before_ms) override {
    constexpr size_t kBatch = 1000;
    size_t total = 0;
    for (;;) {
      TKS_ASSIGN_OR_RETURN(size_t removed,
                           store_.PurgeExpired(before_ms, kBatch));
      total += removed;
      if (removed < kBatch) return total;
    }
  }

 private:
  Store& store_;
};

class TokenstorePeer : public Peer {
 public:
  explicit TokenstorePeer(Durability durability)
      : durability_(durability), dir_("tokenstore") {}

  std::string_view name() const override {
    switch (durability_) {
      case Durability::kFull:
        return "tokenstore";
      case Durability::kNoMetaSync:
        return "tokenstore-nometasync";
      case Durability::kNoSync:
        break;
    }
    return "tokenstore-nosync";
  }

  PeerTraits traits() const override {
    PeerTraits traits;
    traits.concurrent_writes = true;
    traits.durable_writes = durability_ == Durability::kFull;
    traits.writes_only = durability_ != Durability::kFull;
    return traits;
  }

  Status Load(std::span<const Record> records) override {
    // Step 1: import in one durable transaction, as `tks import` does by
    // default (smaller batches each copy most index pages again, and
    // LMDB keeps the replaced copies in the file for reuse).
    TKS_RETURN_IF_ERROR(crypto::InitSodium());
    TKS_ASSIGN_OR_RETURN(crypto::SecretKey key, crypto::SecretKey::Random());
    key_ = std::make_shared<const crypto::SecretKey>(std::move(key));
    {
      TKS_ASSIGN_OR_RETURN(std::unique_ptr<Store> loader,
                           Store::Open(OptionsWith(Durability::kFull)));
      std::vector<Token> batch;
      batch.reserve(records.size());
      for (const Record& record : records) batch.push_back(ToToken(record));
      TKS_RETURN_IF_ERROR(loader->InsertTokensWithIds(batch));
    }

    // Step 2: reopen in the durability mode under test.
    TKS_ASSIGN_OR_RETURN(store_, Store::Open(OptionsWith(durability_)));
    return Status::Ok();
  }

  Footprint footprint() const override {
    Footprint footprint;
    Result<Stats> stats = store_->GetStats();
    if (stats.ok() && stats->record_count > 0) {
      footprint.bytes_per_record = static_cast<double>(stats->map_used_bytes) /
                                   static_cast<double>(stats->record_count);
    }
    return footprint;
  }

  Result<std::unique_ptr<Session>> NewSession() override {
    std::unique_ptr<Session> session =
        std::make_unique<TokenstoreSession>(*store_);
    return session;
  }

 private:
  Options OptionsWith(Durability durability) const {
    Options options;
    options.path = dir_.path() + "/store";
    options.root_key.key = key_;
    options.durability = durability;
    options.initial_map_size = size_t{1} << 30;
    return options;
  }

  Durability durability_;
  ScratchDir dir_;
  std::shared_ptr<const crypto::SecretKey> key_;
  std::unique_ptr<Store> store_;
};

}  // namespace

std::unique_ptr<Peer> NewTokenstorePeer(Durability durability) {
  return std::make_unique<TokenstorePeer>(durability);
}

}  // namespace tks::bench

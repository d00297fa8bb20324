// SQLite done well: unique indexes on the token columns, an index on the
// user and the expiry, prepared statements kept per connection, WAL with
// full sync (one row per commit).
#include <array>
#include <filesystem>
#include <string>

#include "peers/peer_factories.h"
#include "peers/sqlite_util.h"

namespace tks::bench {
namespace {

constexpr std::string_view kColumns =
    "id, user_name, client_id, client_secret, refresh_token, access_token, "
    "grant_token, expiry_time, redirect_url, api_domain";

std::string Select(std::string_view where) {
  return "SELECT " + std::string(kColumns) + ", generation FROM tokens WHERE " +
         std::string(where);
}

Status ConfigureConnection(sqlite3* db) {
  TKS_RETURN_IF_ERROR(sqlite::Exec(db, "PRAGMA journal_mode=WAL"));
  return sqlite::Exec(db, "PRAGMA synchronous=FULL");
}

class SqliteIndexedSession : public Session {
 public:
  static Result<std::unique_ptr<Session>> Open(const std::string& path) {
    auto session = std::make_unique<SqliteIndexedSession>();
    TKS_ASSIGN_OR_RETURN(session->db_, sqlite::Open(path));
    TKS_RETURN_IF_ERROR(ConfigureConnection(session->db_.get()));
    TKS_RETURN_IF_ERROR(session->PrepareAll());
    std::unique_ptr<Session> out = std::move(session);
    return out;
  }

  Result<bool> Find(FindPath path, const Record& probe, Record* out) override {
    switch (path) {
      case FindPath::kUser:
        return Fetch(by_user_.get(), probe.at(Field::kUserName), out);
      case FindPath::kAccess:
        return Fetch(by_access_.get(), probe.at(Field::kAccessToken), out);
      case FindPath::kRefresh:
        return Fetch(by_refresh_.get(), probe.at(Field::kRefreshToken), out);
      case FindPath::kGrant:
        return Fetch(by_grant_.get(), probe.at(Field::kGrantToken), out);
    }
    return false;
  }

  Result<bool> FindById(std::string_view id, Record* out) override {
    return Fetch(by_id_.get(), id, out);
  }

  Status Save(Record& record) override {
    if (record.id().empty()) return Insert(record);
    return Update(record, nullptr);
  }

  Status SaveIf(Record& record, uint64_t expected) override {
    return Update(record, &expected);
  }

  Status Delete(std::string_view id) override {
    sqlite3_stmt* stmt = delete_.get();
    sqlite::BindText(stmt, 1, id);
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    TKS_RETURN_IF_ERROR(sqlite::Check(db_.get(), rc, "delete"));
    if (sqlite3_changes(db_.get()) == 0) return NotFound("no such id");
    return Status::Ok();
  }

  Result<size_t> Scan() override {
    sqlite3_stmt* stmt = scan_.get();
    size_t count = 0;
    Record record;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      sqlite::ReadFields(stmt, 0, &record);
      ++count;
    }
    sqlite3_reset(stmt);
    TKS_RETURN_IF_ERROR(sqlite::Check(db_.get(), rc, "scan"));
    return count;
  }

  Result<size_t> PurgeExpired(uint64_t before_ms) override {
    sqlite3_stmt* stmt = purge_.get();
    sqlite3_bind_int64(stmt, 1, static_cast<sqlite3_int64>(before_ms));
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    TKS_RETURN_IF_ERROR(sqlite::Check(db_.get(), rc, "purge"));
    return static_cast<size_t>(sqlite3_changes(db_.get()));
  }

 private:
  Status PrepareAll() {
    sqlite3* db = db_.get();
    TKS_ASSIGN_OR_RETURN(by_user_,
                         sqlite::Prepare(db, Select("user_name = ?1 "
                                                    "ORDER BY seq LIMIT 1")));
    TKS_ASSIGN_OR_RETURN(by_access_,
                         sqlite::Prepare(db, Select("access_token = ?1")));
    TKS_ASSIGN_OR_RETURN(by_refresh_,
                         sqlite::Prepare(db, Select("refresh_token = ?1")));
    TKS_ASSIGN_OR_RETURN(by_grant_,
                         sqlite::Prepare(db, Select("grant_token = ?1")));
    TKS_ASSIGN_OR_RETURN(by_id_, sqlite::Prepare(db, Select("id = ?1")));
    TKS_ASSIGN_OR_RETURN(
        insert_, sqlite::Prepare(db,
                                 "INSERT INTO tokens (seq, id, user_name, "
                                 "client_id, client_secret, refresh_token, "
                                 "access_token, grant_token, expiry_time, "
                                 "redirect_url, api_domain, generation) "
                                 "VALUES ((SELECT IFNULL(MAX(seq), 0) + 1 "
                                 "FROM tokens), CAST((SELECT IFNULL(MAX(seq),"
                                 " 0) + 1 FROM tokens) AS TEXT), ?2, ?3, ?4, "
                                 "?5, ?6, ?7, ?8, ?9, ?10, 1) RETURNING id"));
    TKS_ASSIGN_OR_RETURN(
        update_, sqlite::Prepare(db,
                                 "UPDATE tokens SET user_name = ?2, "
                                 "client_id = ?3, client_secret = ?4, "
                                 "refresh_token = ?5, access_token = ?6, "
                                 "grant_token = ?7, expiry_time = ?8, "
                                 "redirect_url = ?9, api_domain = ?10, "
                                 "generation = generation + 1 WHERE id = ?1 "
                                 "AND (?11 IS NULL OR generation = ?11) "
                                 "RETURNING generation"));
    TKS_ASSIGN_OR_RETURN(
        delete_, sqlite::Prepare(db, "DELETE FROM tokens WHERE id = ?1"));
    TKS_ASSIGN_OR_RETURN(scan_,
                         sqlite::Prepare(db, "SELECT " + std::string(kColumns) +
                                                 " FROM tokens ORDER BY seq"));
    TKS_ASSIGN_OR_RETURN(
        purge_,
        sqlite::Prepare(db, "DELETE FROM tokens WHERE expiry_time < ?1"));
    return Status::Ok();
  }

  Result<bool> Fetch(sqlite3_stmt* stmt, std::string_view key, Record* out) {
    sqlite::BindText(stmt, 1, key);
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      sqlite::ReadFields(stmt, 0, out);
      out->generation = static_cast<uint64_t>(sqlite3_column_int64(stmt, 10));
    }
    sqlite3_reset(stmt);
    TKS_RETURN_IF_ERROR(sqlite::Check(db_.get(), rc, "find"));
    return rc == SQLITE_ROW;
  }

  void BindFields(sqlite3_stmt* stmt, const Record& record) {
    for (size_t i = 0; i < kFieldCount; ++i) {
      sqlite::BindText(stmt, static_cast<int>(i) + 1, record.fields[i]);
    }
    sqlite3_bind_int64(stmt, 8, std::stoll(record.at(Field::kExpiryTime)));
  }

  Status Insert(Record& record) {
    sqlite3_stmt* stmt = insert_.get();
    BindFields(stmt, record);
    int rc = sqlite3_step(stmt);
    std::string id(sqlite::ColumnText(stmt, 0));
    if (rc == SQLITE_ROW) rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    TKS_RETURN_IF_ERROR(sqlite::Check(db_.get(), rc, "insert"));
    record.at(Field::kId) = std::move(id);
    record.generation = 1;
    return Status::Ok();
  }

  Status Update(Record& record, const uint64_t* expected) {
    sqlite3_stmt* stmt = update_.get();
    BindFields(stmt, record);
    if (expected != nullptr) {
      sqlite3_bind_int64(stmt, 11, static_cast<sqlite3_int64>(*expected));
    } else {
      sqlite3_bind_null(stmt, 11);
    }
    int rc = sqlite3_step(stmt);
    const bool changed = rc == SQLITE_ROW;
    if (changed) {
      record.generation = static_cast<uint64_t>(sqlite3_column_int64(stmt, 0));
      rc = sqlite3_step(stmt);
    }
    sqlite3_reset(stmt);
    TKS_RETURN_IF_ERROR(sqlite::Check(db_.get(), rc, "update"));
    if (!changed) return Conflict("no such id or generation changed");
    return Status::Ok();
  }

  sqlite::Db db_;
  sqlite::Stmt by_user_, by_access_, by_refresh_, by_grant_, by_id_;
  sqlite::Stmt insert_, update_, delete_, scan_, purge_;
};

class SqliteIndexedPeer : public Peer {
 public:
  SqliteIndexedPeer() : dir_("sqlite") {}
  std::string_view name() const override { return "sqlite-indexed"; }
  PeerTraits traits() const override {
    PeerTraits traits;
    traits.concurrent_writes = true;
    traits.durable_writes = true;
    return traits;
  }

  Status Load(std::span<const Record> records) override {
    // Step 1: schema with every index a token store needs.
    TKS_ASSIGN_OR_RETURN(sqlite::Db db, sqlite::Open(Path()));
    TKS_RETURN_IF_ERROR(ConfigureConnection(db.get()));
    TKS_RETURN_IF_ERROR(sqlite::Exec(
        db.get(),
        "CREATE TABLE tokens (seq INTEGER PRIMARY KEY, id TEXT NOT NULL "
        "UNIQUE, user_name TEXT, client_id TEXT, client_secret TEXT, "
        "refresh_token TEXT UNIQUE, access_token TEXT UNIQUE, grant_token "
        "TEXT UNIQUE, expiry_time INTEGER, redirect_url TEXT, api_domain "
        "TEXT, generation INTEGER NOT NULL);"
        "CREATE INDEX tokens_user ON tokens (user_name);"
        "CREATE INDEX tokens_expiry ON tokens (expiry_time);"));

    // Step 2: rows in one transaction per 10k.
    TKS_ASSIGN_OR_RETURN(
        sqlite::Stmt insert,
        sqlite::Prepare(db.get(),
                        "INSERT INTO tokens VALUES (?11, ?1, ?2, ?3, ?4, ?5, "
                        "?6, ?7, ?8, ?9, ?10, 1)"));
    for (size_t at = 0; at < records.size(); at += 10000) {
      TKS_RETURN_IF_ERROR(sqlite::Exec(db.get(), "BEGIN"));
      const size_t end = std::min(records.size(), at + 10000);
      for (size_t i = at; i < end; ++i) {
        const Record& record = records[i];
        for (size_t f = 0; f < kFieldCount; ++f) {
          sqlite::BindText(insert.get(), static_cast<int>(f) + 1,
                           record.fields[f]);
        }
        sqlite3_bind_int64(insert.get(), 8,
                           std::stoll(record.at(Field::kExpiryTime)));
        sqlite3_bind_int64(insert.get(), 11, static_cast<int64_t>(i + 1));
        const int rc = sqlite3_step(insert.get());
        sqlite3_reset(insert.get());
        TKS_RETURN_IF_ERROR(sqlite::Check(db.get(), rc, "load"));
      }
      TKS_RETURN_IF_ERROR(sqlite::Exec(db.get(), "COMMIT"));
    }
    records_ = records.size();
    return sqlite::Exec(db.get(), "PRAGMA wal_checkpoint(TRUNCATE)");
  }

  Result<std::unique_ptr<Session>> NewSession() override {
    return SqliteIndexedSession::Open(Path());
  }

  Footprint footprint() const override {
    Footprint footprint;
    std::error_code error;
    const auto size = std::filesystem::file_size(Path(), error);
    if (!error && records_ > 0) {
      footprint.bytes_per_record =
          static_cast<double>(size) / static_cast<double>(records_);
    }
    return footprint;
  }

 private:
  std::string Path() const { return dir_.path() + "/tokens.db"; }
  ScratchDir dir_;
  size_t records_ = 0;
};

}  // namespace

std::unique_ptr<Peer> NewSqliteIndexedPeer() {
  return std::make_unique<SqliteIndexedPeer>();
}

}  // namespace tks::bench

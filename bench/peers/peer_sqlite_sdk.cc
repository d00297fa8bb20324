// SQLite the way the SDK samples use it: table `oauthtoken` with only the
// id as primary key, a new connection for every call, SQL built by
// pasting values into strings (unsafe with quotes, DESIGN §8.7: the fake
// data has none), default rollback journal. Finds by token scan the table.
#include <string>

#include "peers/peer_factories.h"
#include "peers/sdk_rules.h"
#include "peers/sqlite_util.h"

namespace tks::bench {
namespace {

constexpr std::string_view kColumns =
    "id, user_name, client_id, client_secret, refresh_token, access_token, "
    "grant_token, expiry_time, redirect_url, api_domain";

std::string Quote(std::string_view value) {
  return "'" + std::string(value) + "'";
}

class SqliteSdkSession : public Session {
 public:
  explicit SqliteSdkSession(std::string path) : path_(std::move(path)) {}

  Result<bool> Find(FindPath path, const Record& probe, Record* out) override {
    const Field field = FieldOf(path);
    return SelectOne(
        "SELECT " + std::string(kColumns) + " FROM oauthtoken WHERE " +
            std::string(FieldName(field)) + " = " + Quote(probe.at(field)),
        out);
  }

  Result<bool> FindById(std::string_view id, Record* out) override {
    return SelectOne("SELECT " + std::string(kColumns) +
                         " FROM oauthtoken WHERE id = " + Quote(id),
                     out);
  }

  Status Save(Record& record) override {
    TKS_ASSIGN_OR_RETURN(sqlite::Db db, sqlite::Open(path_));
    if (!record.id().empty()) {
      std::string sql = "UPDATE oauthtoken SET ";
      for (size_t i = 1; i < kFieldCount; ++i) {
        if (i > 1) sql += ", ";
        sql += std::string(FieldName(kAllFields[i])) + " = " +
               Quote(record.fields[i]);
      }
      sql += " WHERE id = " + Quote(record.id());
      TKS_RETURN_IF_ERROR(sqlite::Exec(db.get(), sql));
      if (sqlite3_changes(db.get()) == 0) return NotFound("no such id");
      return Status::Ok();
    }

    // The SDK picks max(id) + 1 outside any transaction.
    TKS_ASSIGN_OR_RETURN(
        sqlite::Stmt max_id,
        sqlite::Prepare(db.get(),
                        "SELECT MAX(CAST(id AS INTEGER)) FROM oauthtoken"));
    const int rc = sqlite3_step(max_id.get());
    TKS_RETURN_IF_ERROR(sqlite::Check(db.get(), rc, "max id"));
    record.at(Field::kId) =
        std::to_string(sqlite3_column_int64(max_id.get(), 0) + 1);
    std::string sql =
        "INSERT INTO oauthtoken (" + std::string(kColumns) + ") VALUES (";
    for (size_t i = 0; i < kFieldCount; ++i) {
      if (i > 0) sql += ", ";
      sql += Quote(record.fields[i]);
    }
    return sqlite::Exec(db.get(), sql + ")");
  }

  Status Delete(std::string_view id) override {
    TKS_ASSIGN_OR_RETURN(sqlite::Db db, sqlite::Open(path_));
    TKS_RETURN_IF_ERROR(sqlite::Exec(
        db.get(), "DELETE FROM oauthtoken WHERE id = " + Quote(id)));
    if (sqlite3_changes(db.get()) == 0) return NotFound("no such id");
    return Status::Ok();
  }

  Result<size_t> Scan() override {
    TKS_ASSIGN_OR_RETURN(sqlite::Db db, sqlite::Open(path_));
    TKS_ASSIGN_OR_RETURN(
        sqlite::Stmt stmt,
        sqlite::Prepare(
            db.get(), "SELECT " + std::string(kColumns) + " FROM oauthtoken"));
    size_t count = 0;
    Record record;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      sqlite::ReadFields(stmt.get(), 0, &record);
      ++count;
    }
    TKS_RETURN_IF_ERROR(sqlite::Check(db.get(), rc, "scan"));
    return count;
  }

  Result<size_t> PurgeExpired(uint64_t before_ms) override {
    TKS_ASSIGN_OR_RETURN(sqlite::Db db, sqlite::Open(path_));
    TKS_RETURN_IF_ERROR(sqlite::Exec(
        db.get(),
        "DELETE FROM oauthtoken WHERE CAST(expiry_time AS INTEGER) < " +
            std::to_string(before_ms)));
    return static_cast<size_t>(sqlite3_changes(db.get()));
  }

 private:
  Result<bool> SelectOne(const std::string& sql, Record* out) {
    TKS_ASSIGN_OR_RETURN(sqlite::Db db, sqlite::Open(path_));
    TKS_ASSIGN_OR_RETURN(sqlite::Stmt stmt, sqlite::Prepare(db.get(), sql));
    const int rc = sqlite3_step(stmt.get());
    TKS_RETURN_IF_ERROR(sqlite::Check(db.get(), rc, "select"));
    if (rc != SQLITE_ROW) return false;
    sqlite::ReadFields(stmt.get(), 0, out);
    return true;
  }

  std::string path_;
};

class SqliteSdkPeer : public Peer {
 public:
  SqliteSdkPeer() : dir_("sqlite-sdk") {}
  std::string_view name() const override { return "sqlite-sdk"; }
  PeerTraits traits() const override {
    PeerTraits traits;
    traits.max_records = 100000;
    traits.concurrent_reads = false;
    traits.compare_and_swap = false;
    traits.slow_calls = true;
    return traits;
  }

  Status Load(std::span<const Record> records) override {
    // The SDK's table, filled in one transaction (set-up only).
    TKS_ASSIGN_OR_RETURN(sqlite::Db db, sqlite::Open(Path()));
    TKS_RETURN_IF_ERROR(sqlite::Exec(
        db.get(),
        "CREATE TABLE oauthtoken (id varchar(10) NOT NULL, user_name "
        "varchar(255), client_id varchar(255), client_secret varchar(255), "
        "refresh_token varchar(255), access_token varchar(255), grant_token "
        "varchar(255), expiry_time varchar(20), redirect_url varchar(255), "
        "api_domain varchar(255), primary key (id))"));
    TKS_ASSIGN_OR_RETURN(
        sqlite::Stmt insert,
        sqlite::Prepare(db.get(),
                        "INSERT INTO oauthtoken VALUES (?1, ?2, ?3, ?4, ?5, "
                        "?6, ?7, ?8, ?9, ?10)"));
    TKS_RETURN_IF_ERROR(sqlite::Exec(db.get(), "BEGIN"));
    for (const Record& record : records) {
      for (size_t f = 0; f < kFieldCount; ++f) {
        sqlite::BindText(insert.get(), static_cast<int>(f) + 1,
                         record.fields[f]);
      }
      const int rc = sqlite3_step(insert.get());
      sqlite3_reset(insert.get());
      TKS_RETURN_IF_ERROR(sqlite::Check(db.get(), rc, "load"));
    }
    return sqlite::Exec(db.get(), "COMMIT");
  }

  Result<std::unique_ptr<Session>> NewSession() override {
    std::unique_ptr<Session> session =
        std::make_unique<SqliteSdkSession>(Path());
    return session;
  }

 private:
  std::string Path() const { return dir_.path() + "/zohooauth.db"; }
  ScratchDir dir_;
};

}  // namespace

std::unique_ptr<Peer> NewSqliteSdkPeer() {
  return std::make_unique<SqliteSdkPeer>();
}

}  // namespace tks::bench

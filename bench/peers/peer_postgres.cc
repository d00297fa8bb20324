// PostgreSQL 15 on 127.0.0.1 through libpq, done well: unique indexes on
// the token columns, prepared statements per connection, one row per
// commit with synchronous_commit on. Run only against the throwaway
// cluster `bench/run` starts (TKS_BENCH_PG_CONNINFO must be set: the peer
// drops and recreates its table).
#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "peers/peer_factories.h"

namespace tks::bench {
namespace {

struct ConnFree {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using Conn = std::unique_ptr<PGconn, ConnFree>;
struct ResultFree {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultFree>;

constexpr std::string_view kColumns =
    "id, user_name, client_id, client_secret, refresh_token, access_token, "
    "grant_token, expiry_time, redirect_url, api_domain";

Result<Conn> Connect() {
  const char* conninfo = std::getenv("TKS_BENCH_PG_CONNINFO");
  if (conninfo == nullptr) {
    return InvalidArgument("TKS_BENCH_PG_CONNINFO not set");
  }
  Conn conn(PQconnectdb(conninfo));
  if (conn == nullptr || PQstatus(conn.get()) != CONNECTION_OK) {
    return Internal("postgres not reachable");
  }
  return conn;
}

// INTERNAL with the server's message unless the result is `expected`;
// unique violations become CONFLICT.
Status Check(PGconn* conn, const PgResult& result, ExecStatusType expected) {
  if (result != nullptr && PQresultStatus(result.get()) == expected) {
    return Status::Ok();
  }
  const char* state =
      result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
  if (state != nullptr && std::string_view(state) == "23505") {
    return Conflict("unique violation");
  }
  return Internal(std::string("postgres: ") + PQerrorMessage(conn));
}

Status Exec(PGconn* conn, const std::string& sql) {
  PgResult result(PQexec(conn, sql.c_str()));
  return Check(conn, result, PGRES_COMMAND_OK);
}

// Runs a prepared statement with text parameters.
PgResult Run(PGconn* conn, const char* name,
             const std::vector<std::string_view>& params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (std::string_view param : params) {
    values.push_back(param.data());
    lengths.push_back(static_cast<int>(param.size()));
    formats.push_back(1);  // Binary: the bytes as they are.
  }
  return PgResult(PQexecPrepared(conn, name, static_cast<int>(params.size()),
                                 values.data(), lengths.data(), formats.data(),
                                 0));
}

void ReadRow(const PGresult* result, int row, Record* out) {
  for (size_t i = 0; i < kFieldCount; ++i) {
    const int col = static_cast<int>(i);
    out->fields[i].assign(PQgetvalue(result, row, col),
                          PQgetlength(result, row, col));
  }
  if (PQnfields(result) > static_cast<int>(kFieldCount)) {
    out->generation = std::strtoull(
        PQgetvalue(result, row, static_cast<int>(kFieldCount)), nullptr, 10);
  }
}

class PostgresSession : public Session {
 public:
  static Result<std::unique_ptr<Session>> Open() {
    TKS_ASSIGN_OR_RETURN(Conn conn, Connect());
    auto session = std::make_unique<PostgresSession>(std::move(conn));
    TKS_RETURN_IF_ERROR(session->PrepareAll());
    std::unique_ptr<Session> out = std::move(session);
    return out;
  }
  explicit PostgresSession(Conn conn) : conn_(std::move(conn)) {}

  Result<bool> Find(FindPath path, const Record& probe, Record* out) override {
    switch (path) {
      case FindPath::kUser:
        return Fetch("by_user", probe.at(Field::kUserName), out);
      case FindPath::kAccess:
        return Fetch("by_access", probe.at(Field::kAccessToken), out);
      case FindPath::kRefresh:
        return Fetch("by_refresh", probe.at(Field::kRefreshToken), out);
      case FindPath::kGrant:
        break;
    }
    return Fetch("by_grant", probe.at(Field::kGrantToken), out);
  }

  Result<bool> FindById(std::string_view id, Record* out) override {
    return Fetch("by_id", id, out);
  }

  Status Save(Record& record) override {
    if (!record.id().empty()) return Update(record, "");
    std::vector<std::string_view> params(record.fields.begin() + 1,
                                         record.fields.end());
    PgResult result = Run(conn_.get(), "insert", params);
    TKS_RETURN_IF_ERROR(Check(conn_.get(), result, PGRES_TUPLES_OK));
    record.at(Field::kId) = PQgetvalue(result.get(), 0, 0);
    record.generation = 1;
    return Status::Ok();
  }

  Status SaveIf(Record& record, uint64_t expected) override {
    return Update(record, std::to_string(expected));
  }

  Status Delete(std::string_view id) override {
    PgResult result = Run(conn_.get(), "delete", {id});
    TKS_RETURN_IF_ERROR(Check(conn_.get(), result, PGRES_COMMAND_OK));
    if (std::string_view(PQcmdTuples(result.get())) == "0") {
      return NotFound("no such id");
    }
    return Status::Ok();
  }

  Result<size_t> Scan() override {
    // A server-side cursor in a read transaction, 1000 rows a fetch.
    TKS_RETURN_IF_ERROR(Exec(conn_.get(), "BEGIN READ ONLY"));
    TKS_RETURN_IF_ERROR(Exec(
        conn_.get(), "DECLARE scan NO SCROLL CURSOR FOR SELECT " +
                         std::string(kColumns) + " FROM tokens ORDER BY seq"));
    size_t count = 0;
    Record record;
    for (;;) {
      PgResult rows(PQexec(conn_.get(), "FETCH 1000 FROM scan"));
      TKS_RETURN_IF_ERROR(Check(conn_.get(), rows, PGRES_TUPLES_OK));
      const int n = PQntuples(rows.get());
      for (int row = 0; row < n; ++row) {
        ReadRow(rows.get(), row, &record);
        ++count;
      }
      if (n < 1000) break;
    }
    TKS_RETURN_IF_ERROR(Exec(conn_.get(), "COMMIT"));
    return count;
  }

  Result<size_t> PurgeExpired(uint64_t before_ms) override {
    const std::string before = std::to_string(before_ms);
    PgResult result = Run(conn_.get(), "purge", {before});
    TKS_RETURN_IF_ERROR(Check(conn_.get(), result, PGRES_COMMAND_OK));
    return std::strtoull(PQcmdTuples(result.get()), nullptr, 10);
  }

 private:
  Status Prepare(const char* name, const std::string& sql) {
    PgResult result(PQprepare(conn_.get(), name, sql.c_str(), 0, nullptr));
    return Check(conn_.get(), result, PGRES_COMMAND_OK);
  }

  Status PrepareAll() {
    const std::string select =
        "SELECT " + std::string(kColumns) + ", generation FROM tokens WHERE ";
    TKS_RETURN_IF_ERROR(Prepare(
        "by_user", select + "user_name = $1::text ORDER BY seq LIMIT 1"));
    TKS_RETURN_IF_ERROR(Prepare("by_access", select + "access_token = $1"));
    TKS_RETURN_IF_ERROR(Prepare("by_refresh", select + "refresh_token = $1"));
    TKS_RETURN_IF_ERROR(Prepare("by_grant", select + "grant_token = $1"));
    TKS_RETURN_IF_ERROR(Prepare("by_id", select + "id = $1"));
    TKS_RETURN_IF_ERROR(Prepare(
        "insert",
        "INSERT INTO tokens (seq, id, user_name, client_id, client_secret, "
        "refresh_token, access_token, grant_token, expiry_time, "
        "redirect_url, api_domain, generation) SELECT s, s::text, $1, $2, "
        "$3, $4, $5, $6, $7::text::bigint, $8, $9, 1 FROM "
        "nextval('tokens_seq') AS s RETURNING id"));
    TKS_RETURN_IF_ERROR(Prepare(
        "update",
        "UPDATE tokens SET user_name = $2, client_id = $3, client_secret = "
        "$4, refresh_token = $5, access_token = $6, grant_token = $7, "
        "expiry_time = $8::text::bigint, redirect_url = $9, api_domain = "
        "$10, generation = generation + 1 WHERE id = $1 AND ($11::text = '' "
        "OR generation = $11::text::bigint) RETURNING generation"));
    TKS_RETURN_IF_ERROR(Prepare("delete", "DELETE FROM tokens WHERE id = $1"));
    return Prepare("purge",
                   "DELETE FROM tokens WHERE expiry_time < $1::text::bigint");
  }

  Result<bool> Fetch(const char* statement, std::string_view key, Record* out) {
    PgResult result = Run(conn_.get(), statement, {key});
    TKS_RETURN_IF_ERROR(Check(conn_.get(), result, PGRES_TUPLES_OK));
    if (PQntuples(result.get()) == 0) return false;
    ReadRow(result.get(), 0, out);
    return true;
  }

  Status Update(Record& record, const std::string& expected) {
    std::vector<std::string_view> params(record.fields.begin(),
                                         record.fields.end());
    params.push_back(expected);
    PgResult result = Run(conn_.get(), "update", params);
    TKS_RETURN_IF_ERROR(Check(conn_.get(), result, PGRES_TUPLES_OK));
    if (PQntuples(result.get()) == 0) {
      return Conflict("no such id or generation changed");
    }
    record.generation =
        std::strtoull(PQgetvalue(result.get(), 0, 0), nullptr, 10);
    return Status::Ok();
  }

  Conn conn_;
};

class PostgresPeer : public Peer {
 public:
  std::string_view name() const override { return "postgres"; }
  PeerTraits traits() const override {
    PeerTraits traits;
    traits.max_records = ServerPeerCap();
    traits.concurrent_writes = true;
    traits.durable_writes = true;
    return traits;
  }

  Status Load(std::span<const Record> records) override {
    // Step 1: a fresh table with every index a token store needs.
    TKS_ASSIGN_OR_RETURN(Conn conn, Connect());
    TKS_RETURN_IF_ERROR(
        Exec(conn.get(),
             "SET client_min_messages = warning;"
             "DROP TABLE IF EXISTS tokens; DROP SEQUENCE IF EXISTS tokens_seq;"
             "CREATE SEQUENCE tokens_seq;"
             "CREATE TABLE tokens (seq bigint PRIMARY KEY, id text NOT NULL "
             "UNIQUE, user_name text, client_id text, client_secret text, "
             "refresh_token text UNIQUE, access_token text UNIQUE, grant_token "
             "text UNIQUE, expiry_time bigint, redirect_url text, api_domain "
             "text, generation bigint NOT NULL)"));

    // Step 2: rows through COPY in one transaction, then the indexes on
    // user and expiry and the sequence past the loaded ids.
    PgResult copy(PQexec(conn.get(), "COPY tokens FROM STDIN"));
    TKS_RETURN_IF_ERROR(Check(conn.get(), copy, PGRES_COPY_IN));
    std::string chunk;
    for (size_t i = 0; i < records.size(); ++i) {
      chunk += std::to_string(i + 1);
      for (const std::string& field : records[i].fields) {
        chunk += '\t';
        chunk += field;  // Generated values hold no tab or backslash.
      }
      chunk += "\t1\n";
      if (chunk.size() > (1 << 20) || i + 1 == records.size()) {
        if (PQputCopyData(conn.get(), chunk.data(),
                          static_cast<int>(chunk.size())) != 1) {
          return Internal("COPY failed");
        }
        chunk.clear();
      }
    }
    if (PQputCopyEnd(conn.get(), nullptr) != 1) return Internal("COPY end");
    PgResult copied(PQgetResult(conn.get()));
    TKS_RETURN_IF_ERROR(Check(conn.get(), copied, PGRES_COMMAND_OK));
    while (PgResult(PQgetResult(conn.get())) != nullptr) {
    }
    TKS_RETURN_IF_ERROR(
        Exec(conn.get(),
             "CREATE INDEX tokens_user ON tokens (user_name, seq);"
             "CREATE INDEX tokens_expiry ON tokens (expiry_time);"
             "ALTER SEQUENCE tokens_seq RESTART WITH " +
                 std::to_string(records.size() + 1)));
    return Exec(conn.get(), "VACUUM ANALYZE tokens");
  }

  Result<std::unique_ptr<Session>> NewSession() override {
    return PostgresSession::Open();
  }
};

}  // namespace

std::unique_ptr<Peer> NewPostgresPeer() {
  if (!Connect().ok()) return nullptr;
  return std::make_unique<PostgresPeer>();
}

}  // namespace tks::bench

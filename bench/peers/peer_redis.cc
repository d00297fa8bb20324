// Redis on 127.0.0.1 through hiredis, used as a token store would use it:
// a hash per record, one key per indexed value pointing to the id, sorted
// sets for expiry and insertion order, and Lua scripts so every call is
// one round trip and every save is atomic. Run only against the
// throwaway server `bench/run` starts (TKS_BENCH_REDIS_PORT must be set:
// the peer flushes the database), configured with appendfsync always.
#include <hiredis/hiredis.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "peers/peer_factories.h"

namespace tks::bench {
namespace {

struct ReplyFree {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyFree>;
struct ContextFree {
  void operator()(redisContext* context) const { redisFree(context); }
};
using Context = std::unique_ptr<redisContext, ContextFree>;

// Removes record ARGV-style `id` and its index entries (Lua, shared).
constexpr std::string_view kEraseFunction = R"(
local function erase(id)
  local key = 'tks:r:' .. id
  local old = redis.call('HMGET', key, 'f1', 'f4', 'f5', 'f6')
  if not old[1] then return 0 end
  if redis.call('GET', 'tks:u:' .. old[1]) == id then
    redis.call('DEL', 'tks:u:' .. old[1])
  end
  redis.call('DEL', 'tks:f:' .. old[2], 'tks:a:' .. old[3],
             'tks:g:' .. old[4], key)
  redis.call('ZREM', 'tks:exp', id)
  redis.call('ZREM', 'tks:seq', id)
  return 1
end
)";

// KEYS[1]: an index key. The record's ten fields and generation.
constexpr std::string_view kFindScript = R"(
local id = redis.call('GET', KEYS[1])
if not id then return false end
return redis.call('HMGET', 'tks:r:' .. id, 'f0', 'f1', 'f2', 'f3', 'f4',
                  'f5', 'f6', 'f7', 'f8', 'f9', 'gen')
)";

// ARGV: the ten fields (id may be ''). Returns the id.
constexpr std::string_view kInsertScript = R"(
local id = ARGV[1]
if id == '' then id = tostring(redis.call('INCR', 'tks:next')) end
local pre = {'tks:u:', 'tks:f:', 'tks:a:', 'tks:g:'}
local vals = {ARGV[2], ARGV[5], ARGV[6], ARGV[7]}
for i = 2, 4 do
  if redis.call('EXISTS', pre[i] .. vals[i]) == 1 then
    return redis.error_reply('CONFLICT')
  end
end
redis.call('SET', pre[1] .. vals[1], id, 'NX')
for i = 2, 4 do redis.call('SET', pre[i] .. vals[i], id) end
redis.call('HSET', 'tks:r:' .. id, 'f0', id, 'f1', ARGV[2], 'f2', ARGV[3],
           'f3', ARGV[4], 'f4', ARGV[5], 'f5', ARGV[6], 'f6', ARGV[7],
           'f7', ARGV[8], 'f8', ARGV[9], 'f9', ARGV[10], 'gen', 1)
redis.call('ZADD', 'tks:exp', ARGV[8], id)
redis.call('ZADD', 'tks:seq', tonumber(id), id)
return id
)";

// ARGV: id, expected generation ('' for any), fields 1..9. Returns the
// new generation.
constexpr std::string_view kUpdateScript = R"(
local id = ARGV[1]
local key = 'tks:r:' .. id
local old = redis.call('HMGET', key, 'f1', 'f4', 'f5', 'f6', 'gen')
if not old[5] then return redis.error_reply('NOTFOUND') end
if ARGV[2] ~= '' and ARGV[2] ~= old[5] then
  return redis.error_reply('CONFLICT')
end
local pre = {'tks:u:', 'tks:f:', 'tks:a:', 'tks:g:'}
local new = {ARGV[3], ARGV[6], ARGV[7], ARGV[8]}
for i = 2, 4 do
  if new[i] ~= old[i] then
    local owner = redis.call('GET', pre[i] .. new[i])
    if owner and owner ~= id then return redis.error_reply('CONFLICT') end
  end
end
for i = 1, 4 do
  if new[i] ~= old[i] then
    if i > 1 or redis.call('GET', pre[1] .. old[1]) == id then
      redis.call('DEL', pre[i] .. old[i])
    end
    redis.call('SET', pre[i] .. new[i], id, 'NX')
  end
end
local gen = tonumber(old[5]) + 1
redis.call('HSET', key, 'f1', ARGV[3], 'f2', ARGV[4], 'f3', ARGV[5],
           'f4', ARGV[6], 'f5', ARGV[7], 'f6', ARGV[8], 'f7', ARGV[9],
           'f8', ARGV[10], 'f9', ARGV[11], 'gen', gen)
redis.call('ZADD', 'tks:exp', ARGV[9], id)
return gen
)";

// ARGV: id. 1 when removed, 0 when absent.
constexpr std::string_view kDeleteBody = "return erase(ARGV[1])\n";

// ARGV: before, limit. How many were removed.
constexpr std::string_view kPurgeBody = R"(
local ids = redis.call('ZRANGEBYSCORE', 'tks:exp', '-inf', '(' .. ARGV[1],
                       'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do erase(id) end
return #ids
)";

int RedisPort() {
  const char* port = std::getenv("TKS_BENCH_REDIS_PORT");
  return port == nullptr ? 0 : std::atoi(port);
}

Result<Context> Connect() {
  const int port = RedisPort();
  if (port <= 0) return InvalidArgument("TKS_BENCH_REDIS_PORT not set");
  Context context(redisConnectWithTimeout("127.0.0.1", port, {0, 300000}));
  if (context == nullptr || context->err != 0) {
    return Internal("redis not reachable on 127.0.0.1");
  }
  return context;
}

// Sends one command and reads its reply; errors become a Status.
Result<Reply> Command(redisContext* context,
                      const std::vector<std::string_view>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (std::string_view arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  Reply reply(static_cast<redisReply*>(redisCommandArgv(
      context, static_cast<int>(argv.size()), argv.data(), lengths.data())));
  if (reply == nullptr) return Internal("redis connection failed");
  if (reply->type == REDIS_REPLY_ERROR) {
    const std::string message(reply->str, reply->len);
    if (message.find("NOTFOUND") != std::string::npos) {
      return NotFound("no such id");
    }
    if (message.find("CONFLICT") != std::string::npos) {
      return Conflict("token or generation clash");
    }
    return Internal("redis: " + message);
  }
  return reply;
}

// SHA1s of the loaded scripts.
struct Scripts {
  std::string find, insert, update, erase, purge;
};

Result<std::string> LoadScript(redisContext* context, std::string_view body) {
  TKS_ASSIGN_OR_RETURN(Reply reply, Command(context, {"SCRIPT", "LOAD", body}));
  return std::string(reply->str, reply->len);
}

void ReadArray(const redisReply* reply, Record* out) {
  for (size_t i = 0; i < kFieldCount && i < reply->elements; ++i) {
    const redisReply* field = reply->element[i];
    out->fields[i].assign(field->str == nullptr ? "" : field->str, field->len);
  }
  if (reply->elements > kFieldCount &&
      reply->element[kFieldCount]->str != nullptr) {
    out->generation =
        std::strtoull(reply->element[kFieldCount]->str, nullptr, 10);
  }
}

class RedisSession : public Session {
 public:
  RedisSession(Context context, const Scripts& scripts)
      : context_(std::move(context)), scripts_(scripts) {}

  Result<bool> Find(FindPath path, const Record& probe, Record* out) override {
    std::string key;
    switch (path) {
      case FindPath::kUser:
        key = "tks:u:" + probe.at(Field::kUserName);
        break;
      case FindPath::kAccess:
        key = "tks:a:" + probe.at(Field::kAccessToken);
        break;
      case FindPath::kRefresh:
        key = "tks:f:" + probe.at(Field::kRefreshToken);
        break;
      case FindPath::kGrant:
        key = "tks:g:" + probe.at(Field::kGrantToken);
        break;
    }
    TKS_ASSIGN_OR_RETURN(
        Reply reply,
        Command(context_.get(), {"EVALSHA", scripts_.find, "1", key}));
    if (reply->type != REDIS_REPLY_ARRAY) return false;
    ReadArray(reply.get(), out);
    return true;
  }

  Result<bool> FindById(std::string_view id, Record* out) override {
    const std::string key = "tks:r:" + std::string(id);
    TKS_ASSIGN_OR_RETURN(
        Reply reply,
        Command(context_.get(), {"HMGET", key, "f0", "f1", "f2", "f3", "f4",
                                 "f5", "f6", "f7", "f8", "f9", "gen"}));
    if (reply->elements == 0 || reply->element[0]->str == nullptr) {
      return false;
    }
    ReadArray(reply.get(), out);
    return true;
  }

  Status Save(Record& record) override {
    if (record.id().empty()) {
      std::vector<std::string_view> args = {"EVALSHA", scripts_.insert, "0"};
      for (const std::string& field : record.fields) args.push_back(field);
      TKS_ASSIGN_OR_RETURN(Reply reply, Command(context_.get(), args));
      record.at(Field::kId).assign(reply->str, reply->len);
      record.generation = 1;
      return Status::Ok();
    }
    return Update(record, "");
  }

  Status SaveIf(Record& record, uint64_t expected) override {
    return Update(record, std::to_string(expected));
  }

  Status Delete(std::string_view id) override {
    TKS_ASSIGN_OR_RETURN(
        Reply reply,
        Command(context_.get(), {"EVALSHA", scripts_.erase, "0", id}));
    if (reply->integer == 0) return NotFound("no such id");
    return Status::Ok();
  }

  Result<size_t> Scan() override {
    // Ids in insertion order a chunk at a time, their hashes pipelined.
    constexpr long long kChunk = 1000;
    size_t count = 0;
    Record record;
    for (long long start = 0;; start += kChunk) {
      const std::string from = std::to_string(start);
      const std::string to = std::to_string(start + kChunk - 1);
      TKS_ASSIGN_OR_RETURN(
          Reply ids, Command(context_.get(), {"ZRANGE", "tks:seq", from, to}));
      for (size_t i = 0; i < ids->elements; ++i) {
        const std::string key =
            "tks:r:" + std::string(ids->element[i]->str, ids->element[i]->len);
        redisAppendCommand(context_.get(),
                           "HMGET %b f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 gen",
                           key.data(), key.size());
      }
      for (size_t i = 0; i < ids->elements; ++i) {
        void* raw = nullptr;
        if (redisGetReply(context_.get(), &raw) != REDIS_OK) {
          return Internal("redis connection failed");
        }
        Reply reply(static_cast<redisReply*>(raw));
        ReadArray(reply.get(), &record);
        ++count;
      }
      if (ids->elements < static_cast<size_t>(kChunk)) return count;
    }
  }

  Result<size_t> PurgeExpired(uint64_t before_ms) override {
    const std::string before = std::to_string(before_ms);
    size_t total = 0;
    for (;;) {
      TKS_ASSIGN_OR_RETURN(
          Reply reply, Command(context_.get(), {"EVALSHA", scripts_.purge, "0",
                                                before, "1000"}));
      total += static_cast<size_t>(reply->integer);
      if (reply->integer < 1000) return total;
    }
  }

  // Queues an insert of `record` with its id (loading).
  void AppendInsert(const Record& record) {
    std::vector<const char*> argv = {"EVALSHA", scripts_.insert.c_str(), "0"};
    std::vector<size_t> lengths = {7, scripts_.insert.size(), 1};
    for (const std::string& field : record.fields) {
      argv.push_back(field.data());
      lengths.push_back(field.size());
    }
    redisAppendCommandArgv(context_.get(), static_cast<int>(argv.size()),
                           argv.data(), lengths.data());
  }

  Status ReadReplies(size_t count) {
    for (size_t i = 0; i < count; ++i) {
      void* raw = nullptr;
      if (redisGetReply(context_.get(), &raw) != REDIS_OK) {
        return Internal("redis connection failed");
      }
      Reply reply(static_cast<redisReply*>(raw));
      if (reply->type == REDIS_REPLY_ERROR) {
        return Internal("redis: " + std::string(reply->str, reply->len));
      }
    }
    return Status::Ok();
  }

  redisContext* context() { return context_.get(); }

 private:
  Status Update(Record& record, const std::string& expected) {
    std::vector<std::string_view> args = {"EVALSHA", scripts_.update, "0",
                                          record.id(), expected};
    for (size_t i = 1; i < kFieldCount; ++i) {
      args.push_back(record.fields[i]);
    }
    TKS_ASSIGN_OR_RETURN(Reply reply, Command(context_.get(), args));
    record.generation = static_cast<uint64_t>(reply->integer);
    return Status::Ok();
  }

  Context context_;
  const Scripts& scripts_;
};

class RedisPeer : public Peer {
 public:
  std::string_view name() const override { return "redis"; }
  PeerTraits traits() const override {
    PeerTraits traits;
    traits.max_records = ServerPeerCap();
    traits.concurrent_writes = true;
    traits.durable_writes = true;
    return traits;
  }

  Status Load(std::span<const Record> records) override {
    // Step 1: an empty database and the scripts.
    TKS_ASSIGN_OR_RETURN(Context context, Connect());
    TKS_RETURN_IF_ERROR(Command(context.get(), {"FLUSHALL"}).status());
    TKS_ASSIGN_OR_RETURN(scripts_.find, LoadScript(context.get(), kFindScript));
    TKS_ASSIGN_OR_RETURN(scripts_.insert,
                         LoadScript(context.get(), kInsertScript));
    TKS_ASSIGN_OR_RETURN(scripts_.update,
                         LoadScript(context.get(), kUpdateScript));
    TKS_ASSIGN_OR_RETURN(
        scripts_.erase,
        LoadScript(context.get(),
                   std::string(kEraseFunction) + std::string(kDeleteBody)));
    TKS_ASSIGN_OR_RETURN(
        scripts_.purge, LoadScript(context.get(), std::string(kEraseFunction) +
                                                      std::string(kPurgeBody)));

    // Step 2: the records, pipelined a thousand at a time.
    RedisSession loader(std::move(context), scripts_);
    for (size_t at = 0; at < records.size(); at += 1000) {
      const size_t end = std::min(records.size(), at + 1000);
      for (size_t i = at; i < end; ++i) loader.AppendInsert(records[i]);
      TKS_RETURN_IF_ERROR(loader.ReadReplies(end - at));
    }
    const std::string next = std::to_string(records.size());
    return Command(loader.context(), {"SET", "tks:next", next}).status();
  }

  Result<std::unique_ptr<Session>> NewSession() override {
    TKS_ASSIGN_OR_RETURN(Context context, Connect());
    std::unique_ptr<Session> session =
        std::make_unique<RedisSession>(std::move(context), scripts_);
    return session;
  }

 private:
  Scripts scripts_;
};

}  // namespace

std::unique_ptr<Peer> NewRedisPeer() {
  if (!Connect().ok()) return nullptr;
  return std::make_unique<RedisPeer>();
}

}  // namespace tks::bench

// The common interface of every store the benchmark compares (a "peer").
//
// A Peer owns one loaded data set; a Session is one thread's handle to it
// (a connection, a cursor cache, or nothing at all). Every benchmark
// thread opens its own Session before the timed loop, so per-connection
// setup is never timed.
#ifndef TOKENSTORE_BENCH_PEER_H_
#define TOKENSTORE_BENCH_PEER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "fake_tokens.h"
#include "tokenstore/status.h"

namespace tks::bench {

// The four find rules of DESIGN §3.1 a benchmark can drive.
enum class FindPath { kUser, kAccess, kRefresh, kGrant };

// What a peer can do, so the registry only schedules meaningful runs.
struct PeerTraits {
  // Largest data set the peer is run with (slow peers are capped).
  size_t max_records = SIZE_MAX;
  // Sessions may be used from several threads at once.
  bool concurrent_reads = true;
  bool concurrent_writes = false;
  // A successful save is on stable storage when it returns.
  bool durable_writes = false;
  // Only the write paths differ from another peer (a durability mode).
  bool writes_only = false;
  // Offers save_token_if (a generation check).
  bool compare_and_swap = true;
  // Each call costs a whole-store pass: run writes a few times only.
  bool slow_calls = false;
};

class Session {
 public:
  virtual ~Session() = default;

  // The record the path's rule finds for `probe` (a generated record:
  // the peer takes from it the fields its query needs). Returns whether
  // one was found; fills `out` when found.
  virtual Result<bool> Find(FindPath path, const Record& probe,
                            Record* out) = 0;
  virtual Result<bool> FindById(std::string_view id, Record* out) = 0;

  // Upsert by id: a record with an id replaces that record, one without
  // is inserted and gets its id written back.
  virtual Status Save(Record& record) = 0;
  // Save only if the stored generation is `expected`; CONFLICT otherwise.
  virtual Status SaveIf(Record& record, uint64_t expected);
  virtual Status Delete(std::string_view id) = 0;

  // Streams every record once; returns how many there were.
  virtual Result<size_t> Scan() = 0;
  // Deletes every record whose expiry is before `before_ms`.
  virtual Result<size_t> PurgeExpired(uint64_t before_ms) = 0;
};

class Peer {
 public:
  virtual ~Peer() = default;
  virtual std::string_view name() const = 0;
  virtual PeerTraits traits() const = 0;
  // Stores `records` (ids included) as the starting data set. Not timed;
  // peers use their fastest bulk path.
  virtual Status Load(std::span<const Record> records) = 0;
  virtual Result<std::unique_ptr<Session>> NewSession() = 0;

  // Space used after Load: bytes per record of the whole store, and of
  // one stored record value alone; 0 when the peer cannot tell.
  struct Footprint {
    double bytes_per_record = 0;
    double value_bytes = 0;
  };
  virtual Footprint footprint() const { return {}; }
};

// A private directory for a peer's files, removed with its contents.
class ScratchDir {
 public:
  explicit ScratchDir(std::string_view tag);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace tks::bench

#endif  // TOKENSTORE_BENCH_PEER_H_

#include "bench_ops.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "latency_histogram.h"
#include "noise_floor.h"

namespace tks::bench {
namespace {

using benchmark::Counter;
using benchmark::State;
using Clock = std::chrono::steady_clock;

// How many distinct records a find benchmark cycles through.
constexpr size_t kProbeCount = 4096;

// Ends a run that cannot go on; the empty loop keeps threads in step.
void Abandon(State& state, const Status& status) {
  state.SkipWithError(status.ToString().c_str());
  for (auto _ : state) {
  }
}

// This thread's session on the fixture of (spec, n); nullptr after
// Abandon.
std::unique_ptr<Session> OpenSession(State& state, const PeerSpec& spec,
                                     size_t n, Fixture** fixture) {
  Result<Fixture*> loaded = GetFixture(spec, n);
  if (!loaded.ok()) {
    Abandon(state, loaded.status());
    return nullptr;
  }
  *fixture = *loaded;
  Result<std::unique_ptr<Session>> session = (*loaded)->peer->NewSession();
  if (!session.ok()) {
    Abandon(state, session.status());
    return nullptr;
  }
  return std::move(session.value());
}

// Runs `op` once per iteration, timing each call into a histogram, and
// reports p50/p99 (per-thread values averaged over threads).
template <typename Op>
void TimedLoop(State& state, Op&& op) {
  LatencyHistogram latencies;
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    const Status status = op();
    latencies.Add(static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() -
                                                             start)
            .count()));
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      break;
    }
  }
  state.counters["p50_us"] =
      Counter(latencies.Quantile(0.50) / 1000, Counter::kAvgThreads);
  state.counters["p99_us"] =
      Counter(latencies.Quantile(0.99) / 1000, Counter::kAvgThreads);
  state.SetItemsProcessed(state.iterations());
}

// Record indices spread over the data set, different for each thread.
// Writers leave the expired records (index % 10 == 0) to the purge.
std::vector<uint64_t> ProbeIndices(size_t n, int thread,
                                   bool skip_expired = false) {
  std::vector<uint64_t> indices;
  uint64_t x = 0x2545f4914f6cdd1dULL * (thread + 1);
  while (indices.size() < kProbeCount) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const uint64_t index = x % n;
    if (skip_expired && index % 10 == 0) continue;
    indices.push_back(index);
  }
  return indices;
}

std::vector<Record> ProbeRecords(size_t n, int thread,
                                 bool skip_expired = false) {
  std::vector<Record> records;
  for (uint64_t index : ProbeIndices(n, thread, skip_expired)) {
    records.push_back(MakeRecord(index, true));
  }
  return records;
}

// --- Reads. ---

void BM_Find(State& state, const PeerSpec* spec, size_t n, FindPath path) {
  Fixture* fixture = nullptr;
  std::unique_ptr<Session> session = OpenSession(state, *spec, n, &fixture);
  if (session == nullptr) return;
  const std::vector<Record> probes = ProbeRecords(n, state.thread_index());
  Record out;
  size_t next = 0;
  TimedLoop(state, [&]() -> Status {
    const Record& probe = probes[next++ % probes.size()];
    TKS_ASSIGN_OR_RETURN(bool found, session->Find(path, probe, &out));
    if (!found) return Internal("a stored record was not found");
    return Status::Ok();
  });
}

void BM_FindById(State& state, const PeerSpec* spec, size_t n) {
  Fixture* fixture = nullptr;
  std::unique_ptr<Session> session = OpenSession(state, *spec, n, &fixture);
  if (session == nullptr) return;
  std::vector<std::string> ids;
  for (uint64_t index : ProbeIndices(n, state.thread_index())) {
    ids.push_back(std::to_string(index + 1));
  }
  Record out;
  size_t next = 0;
  TimedLoop(state, [&]() -> Status {
    TKS_ASSIGN_OR_RETURN(bool found,
                         session->FindById(ids[next++ % ids.size()], &out));
    if (!found) return Internal("a stored id was not found");
    return Status::Ok();
  });
}

void BM_FindMiss(State& state, const PeerSpec* spec, size_t n) {
  Fixture* fixture = nullptr;
  std::unique_ptr<Session> session = OpenSession(state, *spec, n, &fixture);
  if (session == nullptr) return;
  std::vector<Record> probes(kProbeCount);
  for (size_t i = 0; i < probes.size(); ++i) {
    probes[i].at(Field::kAccessToken) = MissingToken(i);
  }
  Record out;
  size_t next = 0;
  TimedLoop(state, [&]() -> Status {
    const Record& probe = probes[next++ % probes.size()];
    TKS_ASSIGN_OR_RETURN(bool found,
                         session->Find(FindPath::kAccess, probe, &out));
    if (found) return Internal("a missing token was found");
    return Status::Ok();
  });
}

void BM_Scan(State& state, const PeerSpec* spec, size_t n) {
  Fixture* fixture = nullptr;
  std::unique_ptr<Session> session = OpenSession(state, *spec, n, &fixture);
  if (session == nullptr) return;
  size_t streamed = 0;
  TimedLoop(state, [&]() -> Status {
    TKS_ASSIGN_OR_RETURN(size_t count, session->Scan());
    if (count < n) return Internal("scan returned too few records");
    streamed += count;
    return Status::Ok();
  });
  state.SetItemsProcessed(static_cast<int64_t>(streamed));
}

// --- Writes. ---

void BM_Insert(State& state, const PeerSpec* spec, size_t n) {
  Fixture* fixture = nullptr;
  std::unique_ptr<Session> session = OpenSession(state, *spec, n, &fixture);
  if (session == nullptr) return;
  const Record base = MakeRecord(n + 1, false);
  TimedLoop(state, [&]() -> Status {
    Record record = base;
    const uint64_t stamp = NextStamp();
    Restamp(&record, stamp);
    record.at(Field::kUserName) =
        "new." + std::to_string(stamp) + "@example.com:60000001";
    return session->Save(record);
  });
}

void BM_Update(State& state, const PeerSpec* spec, size_t n) {
  Fixture* fixture = nullptr;
  std::unique_ptr<Session> session = OpenSession(state, *spec, n, &fixture);
  if (session == nullptr) return;
  std::vector<Record> targets = ProbeRecords(n, state.thread_index(), true);
  size_t next = 0;
  TimedLoop(state, [&]() -> Status {
    Record& record = targets[next++ % targets.size()];
    Restamp(&record, NextStamp());
    return session->Save(record);
  });
}

// A refresh under compare-and-swap: read the generation, save if equal.
void BM_SaveIf(State& state, const PeerSpec* spec, size_t n) {
  Fixture* fixture = nullptr;
  std::unique_ptr<Session> session = OpenSession(state, *spec, n, &fixture);
  if (session == nullptr) return;
  std::vector<Record> targets = ProbeRecords(n, state.thread_index(), true);
  Record stored;
  size_t next = 0;
  TimedLoop(state, [&]() -> Status {
    Record& record = targets[next++ % targets.size()];
    TKS_ASSIGN_OR_RETURN(bool found, session->FindById(record.id(), &stored));
    if (!found) return Internal("a stored id was not found");
    Restamp(&record, NextStamp());
    return session->SaveIf(record, stored.generation);
  });
}

void BM_Delete(State& state, const PeerSpec* spec, size_t n) {
  Fixture* fixture = nullptr;
  std::unique_ptr<Session> session = OpenSession(state, *spec, n, &fixture);
  if (session == nullptr) return;
  TimedLoop(state, [&]() -> Status {
    int64_t index = fixture->next_delete.fetch_sub(1);
    if (index % 10 == 0) index = fixture->next_delete.fetch_sub(1);
    if (index < 0) return Internal("nothing left to delete");
    return session->Delete(std::to_string(index + 1));
  });
}

void BM_Purge(State& state, const PeerSpec* spec, size_t n) {
  Fixture* fixture = nullptr;
  std::unique_ptr<Session> session = OpenSession(state, *spec, n, &fixture);
  if (session == nullptr) return;
  size_t purged = 0;
  TimedLoop(state, [&]() -> Status {
    TKS_ASSIGN_OR_RETURN(size_t count, session->PurgeExpired(kBenchNowMs));
    purged += count;
    return Status::Ok();
  });
  state.SetItemsProcessed(static_cast<int64_t>(purged));
  state.counters["purged"] = static_cast<double>(purged);
}

// The load itself (set-up of everything after it), as a manual time.
void BM_Load(State& state, const PeerSpec* spec, size_t n) {
  Result<Fixture*> fixture = GetFixture(*spec, n);
  if (!fixture.ok()) return Abandon(state, fixture.status());
  for (auto _ : state) {
    state.SetIterationTime((*fixture)->load_seconds);
  }
  state.SetItemsProcessed(static_cast<int64_t>(n));
  const Peer::Footprint footprint = (*fixture)->peer->footprint();
  if (footprint.bytes_per_record > 0) {
    state.counters["bytes_per_record"] = footprint.bytes_per_record;
  }
  if (footprint.value_bytes > 0) {
    state.counters["value_bytes"] = footprint.value_bytes;
  }
}

// --- Registration. ---

// Registers a benchmark measured in wall-clock time (threads included).
template <typename... Args>
benchmark::internal::Benchmark* Add(const std::string& name, Args&&... args) {
  return benchmark::RegisterBenchmark(name.c_str(), std::forward<Args>(args)...)
      ->UseRealTime();
}

std::string Name(const std::string& op, const PeerSpec& spec, size_t n) {
  return op + "/" + spec.name + "/n:" + std::to_string(n);
}

void RegisterReads(const PeerSpec& spec, size_t n) {
  // Finds at 1, 2, 4 and 8 threads; the rest on one thread.
  const std::vector<int> find_threads = spec.traits.concurrent_reads
                                            ? std::vector<int>{1, 2, 4, 8}
                                            : std::vector<int>{1};
  const std::pair<const char*, FindPath> paths[] = {
      {"find_user", FindPath::kUser},
      {"find_access", FindPath::kAccess},
      {"find_refresh", FindPath::kRefresh},
      {"find_grant", FindPath::kGrant}};
  for (const auto& [op, path] : paths) {
    auto* b = Add(Name(op, spec, n), BM_Find, &spec, n, path);
    for (int t : find_threads) b->Threads(t);
  }
  auto* by_id = Add(Name("find_by_id", spec, n), BM_FindById, &spec, n);
  for (int t : find_threads) by_id->Threads(t);
  Add(Name("find_miss", spec, n), BM_FindMiss, &spec, n);
  Add(Name("get_tokens", spec, n), BM_Scan, &spec, n);
}

void RegisterWrites(const PeerSpec& spec, size_t n) {
  // Saves at 1, 4 and 16 threads where they are durable and concurrent.
  const bool group =
      spec.traits.durable_writes && spec.traits.concurrent_writes;
  const std::vector<int> save_threads =
      group ? std::vector<int>{1, 4, 16} : std::vector<int>{1};
  const int64_t few = spec.traits.slow_calls ? 5 : 200;
  auto* insert = Add(Name("save_insert", spec, n), BM_Insert, &spec, n);
  auto* update = Add(Name("save_update", spec, n), BM_Update, &spec, n);
  for (int t : save_threads) {
    insert->Threads(t);
    update->Threads(t);
  }
  if (spec.traits.slow_calls) {
    insert->Iterations(few);
    update->Iterations(few);
  }
  if (spec.traits.compare_and_swap) {
    auto* cas = Add(Name("save_token_if", spec, n), BM_SaveIf, &spec, n);
    if (spec.traits.slow_calls) cas->Iterations(few);
  }
  Add(Name("delete", spec, n), BM_Delete, &spec, n)
      ->Iterations(std::max<int64_t>(
          1, std::min<int64_t>(few, static_cast<int64_t>(n / 10))));
  Add(Name("purge_expired", spec, n), BM_Purge, &spec, n)->Iterations(1);
}

}  // namespace

void RegisterAll(const std::vector<PeerSpec>& peers,
                 const std::vector<size_t>& sizes) {
  for (size_t n : sizes) {
    RegisterNoiseFloor(n);
    for (const PeerSpec& spec : peers) {
      if (n > spec.traits.max_records) continue;
      benchmark::RegisterBenchmark(Name("load", spec, n).c_str(), BM_Load,
                                   &spec, n)
          ->Iterations(1)
          ->UseManualTime();
      if (!spec.traits.writes_only) RegisterReads(spec, n);
      RegisterWrites(spec, n);
    }
  }
}

}  // namespace tks::bench

#include "peer_registry.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "peers/peer_factories.h"

namespace tks::bench {
namespace {

std::mutex g_fixture_mu;
std::unique_ptr<Fixture> g_fixture;
std::string g_fixture_key;
// The last load that failed, so its benchmarks do not retry it.
std::string g_failed_key;
Status g_failed_status;

std::atomic<uint64_t> g_stamp{uint64_t{1} << 60};

}  // namespace

std::vector<PeerSpec> AvailablePeers(const std::vector<std::string>& only) {
  // Step 1: every peer with its factory.
  using Factory = std::function<std::unique_ptr<Peer>()>;
  const std::vector<Factory> factories = {
      [] { return NewTokenstorePeer(Durability::kFull); },
      [] { return NewTokenstorePeer(Durability::kNoMetaSync); },
      [] { return NewTokenstorePeer(Durability::kNoSync); },
      NewCryptoCeilingPeer,
      NewRawLmdbPeer,
      NewHashMapPeer,
      NewSqliteIndexedPeer,
      NewSqliteSdkPeer,
      NewCsvFilePeer,
      NewListPeer,
      NewRedisPeer,
      NewPostgresPeer,
  };

  // Step 2: keep those that exist here (and were asked for).
  std::vector<PeerSpec> peers;
  for (const Factory& make : factories) {
    std::unique_ptr<Peer> probe = make();
    if (probe == nullptr) continue;
    std::string name(probe->name());
    if (!only.empty() &&
        std::find(only.begin(), only.end(), name) == only.end()) {
      continue;
    }
    peers.push_back({name, make, probe->traits()});
  }
  return peers;
}

Result<Fixture*> GetFixture(const PeerSpec& spec, size_t records) {
  // Step 1: the fixture in memory if it is this one.
  std::lock_guard lock(g_fixture_mu);
  const std::string key = spec.name + "/" + std::to_string(records);
  if (g_fixture != nullptr && g_fixture_key == key) return g_fixture.get();
  if (g_failed_key == key) return g_failed_status;

  // Step 2: drop the previous one, then build and load this one.
  g_fixture.reset();
  g_fixture_key.clear();
  auto fixture = std::make_unique<Fixture>();
  fixture->peer = spec.make();
  if (fixture->peer == nullptr) return Internal(spec.name + " unavailable");
  fixture->records = records;
  fixture->next_delete = static_cast<int64_t>(records) - 1;
  const std::vector<Record> data = MakeDataset(records);
  const auto start = std::chrono::steady_clock::now();
  const Status loaded = fixture->peer->Load(data);
  if (!loaded.ok()) {
    g_failed_key = key;
    g_failed_status = loaded;
    return loaded;
  }
  fixture->load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::fprintf(stderr, "loaded %s with %zu records in %.1f s\n",
               spec.name.c_str(), records, fixture->load_seconds);

  // Step 3: keep it for the benchmarks that follow.
  g_fixture = std::move(fixture);
  g_fixture_key = key;
  return g_fixture.get();
}

uint64_t NextStamp() { return g_stamp.fetch_add(1); }

}  // namespace tks::bench

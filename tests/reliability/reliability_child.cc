// reliability_child: the helper the reliability tests start with a fresh
// exec. Each mode opens the store named on its command line with the root
// key in $TKS_REL_KEY (64 hex characters), durable by default, and reports
// on a pipe (fd 3) or stdout in short lines written with one write(2).
//
//   crash  <dir> <first_seq> <count>  inserts numbered records, updates
//          some earlier ones; acks "I <seq> <id>" / "U <id> <generation>"
//   delete <dir> <id>...              deletes each id; acks "D <id>"
//   mixed  <dir> <proc> <ops> <users> threads save/find/delete overlapping
//          users; reports "I <id>" per insert, "T <torn>" and "X" at end
//   race   <dir> <id> <name>          per round ("read", "go" on stdin):
//          CAS refresh; prints "W <refresh>" or "L <refresh seen after
//          losing>"
//   lease  <dir> <id> <name> <file>   per round: single-flight refresh
//          through the lease; the holder appends to <file> (the fake token
//          endpoint); prints "R <refresh>"
//   reader <dir> <max_readers>        one find, prints "R", waits on stdin
//   fault  <dir> <count>              saves until one fails; prints
//          "A <seq> <id>" per ack, then "F <code>" and "G <code>" for the
//          failing save and one more save on the same handle (both the
//          open's code when the open itself fails)
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tokenstore/store.h"

namespace {

using tks::Code;
using tks::Field;
using tks::Status;
using tks::Store;
using tks::Token;

constexpr int kAckFd = 3;

void Report(int fd, const std::string& line) {
  const std::string text = line + "\n";
  if (::write(fd, text.data(), text.size()) !=
      static_cast<ssize_t>(text.size())) {
    std::_Exit(90);
  }
}

[[noreturn]] void Die(const std::string& what) {
  Report(2, "reliability_child: " + what);
  std::_Exit(2);
}

std::unique_ptr<Store> OpenStore(const std::string& dir,
                                 unsigned max_readers = 256) {
  tks::Options options;
  options.path = dir;
  options.root_key.key_env = "TKS_REL_KEY";
  options.max_readers = max_readers;
  // TKS_REL_NOSYNC=1: no flushes, for tests about the map, not durability.
  const char* nosync = std::getenv("TKS_REL_NOSYNC");
  if (nosync != nullptr && std::string(nosync) == "1") {
    options.durability = tks::Durability::kNoSync;
  }
  options.initial_map_size = size_t{1} << 20;
  auto store = Store::Open(options);
  if (!store.ok()) Die("open: " + store.status().ToString());
  return std::move(store.value());
}

std::string CodeOf(const Status& status) {
  return std::string(tks::CodeName(status.code()));
}

// --- crash ---

Token CrashRecord(uint64_t seq) {
  const std::string n = std::to_string(seq);
  Token token;
  token.set(Field::kUserName, "crash-user-" + n);
  token.set(Field::kClientId, "1000.CLIENT");
  token.set(Field::kClientSecret, "secret");
  token.set(Field::kRefreshToken, "rt-" + n);
  token.set(Field::kAccessToken, "at-" + n);
  token.set(Field::kGrantToken, "gt-" + n);
  token.set(Field::kExpiryTime, std::to_string(1700000000000 + seq));
  token.set(Field::kApiDomain, "v0");
  return token;
}

int RunCrash(Store& store, uint64_t first, uint64_t count) {
  std::mt19937_64 rng(::getpid());
  std::vector<std::string> ids;
  for (uint64_t seq = first; seq < first + count; ++seq) {
    // Step 1: insert the next numbered record and acknowledge it.
    Token token = CrashRecord(seq);
    Status saved = store.SaveToken(token);
    if (!saved.ok()) Die("save: " + saved.ToString());
    ids.emplace_back(token.id());
    Report(kAckFd, "I " + std::to_string(seq) + " " + ids.back());

    // Step 2: now and then rewrite an earlier record of this run, and
    // read one back (kills also land mid read).
    if (rng() % 3 == 0) {
      Token update;
      update.set(Field::kId, ids[rng() % ids.size()]);
      update.set(Field::kApiDomain, "v" + std::to_string(rng() % 1000));
      Status updated = store.SaveToken(update);
      if (!updated.ok()) Die("update: " + updated.ToString());
      Report(kAckFd, "U " + std::string(update.id()) + " " +
                         std::to_string(update.generation()));
    }
    auto found = store.FindTokenById(ids[rng() % ids.size()]);
    if (!found.ok()) Die("find: " + found.status().ToString());
  }
  return 0;
}

// --- delete ---

int RunDelete(Store& store, char** ids, int count) {
  for (int i = 0; i < count; ++i) {
    Status deleted = store.DeleteToken(ids[i]);
    if (!deleted.ok()) Die("delete: " + deleted.ToString());
    Report(kAckFd, std::string("D ") + ids[i]);
  }
  ::pause();
  return 0;
}

// --- mixed ---

// All stamped fields of one save carry the same stamp, so a reader can
// tell a record whose fields come from two saves.
Token MixedRecord(int user, const std::string& stamp) {
  Token token;
  token.set(Field::kUserName, "mixed-user-" + std::to_string(user));
  token.set(Field::kAccessToken, "at-" + stamp);
  token.set(Field::kRefreshToken, "rt-" + stamp);
  token.set(Field::kApiDomain, stamp);
  token.set(Field::kRedirectUrl, "https://cb/" + stamp);
  return token;
}

bool Torn(const Token& token) {
  const std::string stamp(token.view(Field::kApiDomain));
  return token.view(Field::kAccessToken) != "at-" + stamp ||
         token.view(Field::kRefreshToken) != "rt-" + stamp ||
         token.view(Field::kRedirectUrl) != "https://cb/" + stamp;
}

int RunMixed(Store& store, int proc, int ops, int users) {
  constexpr int kThreads = 4;
  std::atomic<int> torn{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(proc * 100 + t);
      for (int op = 0; op < ops; ++op) {
        const int user = static_cast<int>(rng() % users);
        const int kind = static_cast<int>(rng() % 10);
        Token query;
        query.set(Field::kUserName, "mixed-user-" + std::to_string(user));
        if (kind < 4) {
          // Save: an upsert by user name, all fields from one stamp.
          const std::string stamp = std::to_string(proc) + "." +
                                    std::to_string(t) + "." +
                                    std::to_string(op);
          Token token = MixedRecord(user, stamp);
          Status saved = store.SaveToken(token);
          if (!saved.ok()) {
            errors++;
            Report(2, "save " + saved.ToString());
          } else if (token.generation() == 1) {
            Report(kAckFd, "I " + std::string(token.id()));
          }
        } else if (kind < 9) {
          // Find by user, then by the access token it holds.
          auto found = store.FindToken(query);
          if (!found.ok()) {
            errors++;
            continue;
          }
          if (!found.value()) continue;
          if (Torn(*found.value())) torn++;
          Token by_access;
          by_access.set(Field::kAccessToken,
                        found.value()->view(Field::kAccessToken));
          auto again = store.FindToken(by_access);
          if (!again.ok())
            errors++;
          else if (again.value() && Torn(*again.value()))
            torn++;
        } else {
          // Delete whatever record the user has now; it may go first.
          auto found = store.FindToken(query);
          if (!found.ok()) {
            errors++;
            continue;
          }
          if (!found.value()) continue;
          Status deleted = store.DeleteToken(found.value()->id());
          if (!deleted.ok() && deleted.code() != Code::kNotFound) errors++;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  Report(kAckFd, "T " + std::to_string(torn.load()) + " " +
                     std::to_string(errors.load()));
  Report(kAckFd, "X");
  return 0;
}

// --- race and lease ---

std::string NewRefresh(const std::string& name, int round) {
  return "rt-" + std::to_string(round) + "-" + name;
}

// Waits for the parent's two-step round: "read" (every helper reads the
// expired token and answers "ready") then "go". False at end of input.
bool NextRound(Store& store, const std::string& id, uint64_t* generation) {
  std::string line;
  if (!std::getline(std::cin, line)) return false;
  auto seen = store.FindTokenById(id);
  if (!seen.ok()) Die("find: " + seen.status().ToString());
  *generation = seen->generation();
  Report(1, "ready");
  if (!std::getline(std::cin, line)) return false;
  return true;
}

int RunRace(Store& store, const std::string& id, const std::string& name) {
  uint64_t expired_generation = 0;
  for (int round = 0; NextRound(store, id, &expired_generation); ++round) {
    // Step 1: "refresh" the token everyone saw expire; save only if
    // nobody saved in between.
    Token refreshed;
    refreshed.set(Field::kId, id);
    refreshed.set(Field::kRefreshToken, NewRefresh(name, round));
    Status saved = store.SaveTokenIf(refreshed, expired_generation);

    // Step 2: a loser re-reads the winner's refresh token.
    if (saved.ok()) {
      Report(1, "W " + std::string(refreshed.view(Field::kRefreshToken)));
      continue;
    }
    if (saved.code() != Code::kConflict) Die("save: " + saved.ToString());
    auto winner = store.FindTokenById(id);
    if (!winner.ok()) Die("reread: " + winner.status().ToString());
    Report(1, "L " + std::string(winner->view(Field::kRefreshToken)));
  }
  return 0;
}

// The endpoint call: one line appended to `endpoint` (O_APPEND).
void CallTokenEndpoint(const std::string& endpoint, int round,
                       const std::string& name) {
  const int fd = ::open(endpoint.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
  if (fd < 0) Die("endpoint open");
  Report(fd, std::to_string(round) + " " + name);
  ::close(fd);
}

int RunLease(Store& store, const std::string& id, const std::string& name,
             const std::string& endpoint) {
  uint64_t expired_generation = 0;
  for (int round = 0; NextRound(store, id, &expired_generation); ++round) {
    // Until the token is fresh: take the lease, or wait for the holder.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      if (std::chrono::steady_clock::now() > deadline) Die("lease timeout");
      auto now = store.FindTokenById(id);
      if (!now.ok()) Die("find: " + now.status().ToString());
      if (now->generation() != expired_generation) break;
      Status lease =
          store.AcquireRefreshLease(id, name, std::chrono::seconds(10));
      if (lease.code() == Code::kLeaseHeld) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      if (!lease.ok()) Die("lease: " + lease.ToString());

      // Holder: refresh only if nobody did before we got the lease.
      auto again = store.FindTokenById(id);
      if (!again.ok()) Die("find: " + again.status().ToString());
      if (again->generation() == expired_generation) {
        CallTokenEndpoint(endpoint, round, name);
        Token refreshed;
        refreshed.set(Field::kId, id);
        refreshed.set(Field::kRefreshToken, NewRefresh(name, round));
        Status saved = store.SaveTokenIf(refreshed, expired_generation);
        if (!saved.ok()) Die("lease save: " + saved.ToString());
      }
      Status released = store.ReleaseRefreshLease(id, name);
      if (!released.ok()) Die("release: " + released.ToString());
    }
    auto fresh = store.FindTokenById(id);
    if (!fresh.ok()) Die("find: " + fresh.status().ToString());
    Report(1, "R " + std::string(fresh->view(Field::kRefreshToken)));
  }
  return 0;
}

// --- reader and fault ---

int RunReader(Store& store) {
  auto found = store.FindTokenById("1");
  if (!found.ok() && found.status().code() != Code::kNotFound) {
    Die("find: " + found.status().ToString());
  }
  Report(1, "R");
  char byte = 0;
  while (::read(0, &byte, 1) > 0) {
  }
  return 0;
}

int RunFault(Store& store, uint64_t count) {
  for (uint64_t seq = 0; seq < count; ++seq) {
    Token token = CrashRecord(1000000 + seq);
    Status saved = store.SaveToken(token);
    if (!saved.ok()) {
      Report(1, "F " + CodeOf(saved));
      Token more = CrashRecord(2000000 + seq);
      Report(1, "G " + CodeOf(store.SaveToken(more)));
      return 0;
    }
    Report(1, "A " + std::to_string(1000000 + seq) + " " +
                  std::string(token.id()));
  }
  Report(1, "N");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) Die("usage: reliability_child <mode> <dir> ...");
  const std::string mode = argv[1];
  const std::string dir = argv[2];
  if (mode == "reader" && argc == 4) {
    auto store = OpenStore(dir, static_cast<unsigned>(std::atoi(argv[3])));
    return RunReader(*store);
  }
  if (mode == "fault") {
    // A fault may already strike while opening: report it like a save's.
    tks::Options options;
    options.path = dir;
    options.root_key.key_env = "TKS_REL_KEY";
    auto opened = Store::Open(options);
    if (!opened.ok()) {
      Report(1, "F " + CodeOf(opened.status()));
      Report(1, "G " + CodeOf(opened.status()));
      return 0;
    }
    if (argc != 4) Die("bad arguments for mode fault");
    return RunFault(*opened.value(), std::strtoull(argv[3], nullptr, 10));
  }
  auto store = OpenStore(dir);
  if (mode == "crash" && argc == 5) {
    return RunCrash(*store, std::strtoull(argv[3], nullptr, 10),
                    std::strtoull(argv[4], nullptr, 10));
  }
  if (mode == "delete") return RunDelete(*store, argv + 3, argc - 3);
  if (mode == "mixed" && argc == 6) {
    return RunMixed(*store, std::atoi(argv[3]), std::atoi(argv[4]),
                    std::atoi(argv[5]));
  }
  if (mode == "race" && argc == 5) return RunRace(*store, argv[3], argv[4]);
  if (mode == "lease" && argc == 6) {
    return RunLease(*store, argv[3], argv[4], argv[5]);
  }
  Die("bad arguments for mode " + mode);
}

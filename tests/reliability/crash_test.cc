// Promise 1 (DESIGN §6, issue #6): no acknowledged save is lost. A helper
// process saves numbered records durably and acknowledges each on a pipe;
// it is killed with SIGKILL at random moments (while opening, mid read,
// mid write transaction); after each kill the store reopens with no
// manual step, every acknowledged record is found by every path with at
// least the acknowledged generation, and the consistency check is clean;
// every 20th cycle and at the end, `tks verify` (the real binary, when
// tools/ is built) agrees.
#include <unistd.h>

#include <map>
#include <random>
#include <sstream>

#include "child_process.h"
#ifdef TKS_CLI_BINARY
#include "cli_harness.h"
#endif
#include "consistency_check.h"
#include "reliability_support.h"

namespace tks::reliability {
namespace {

Token ExpectedRecord(uint64_t seq, const std::string& id) {
  const std::string n = std::to_string(seq);
  return testing::MakeToken({{Field::kId, id},
                             {Field::kUserName, "crash-user-" + n},
                             {Field::kRefreshToken, "rt-" + n},
                             {Field::kAccessToken, "at-" + n},
                             {Field::kGrantToken, "gt-" + n}});
}

// Runs `tks verify` on the store (the helper's key, 'k' * 32, in hex from
// the environment) and expects a clean store (exit 0). Counts the runs.
void ExpectTksVerifyClean(const std::string& path, int& runs) {
#ifdef TKS_CLI_BINARY
  std::string hex;
  for (int i = 0; i < 32; ++i) hex += "6b";
  ::setenv("TKS_REL_VERIFY_KEY", hex.c_str(), 1);
  testing::TempDir scratch;
  const testing::CliRun run = testing::RunBinary(
      TKS_CLI_BINARY,
      {"verify", "--store", path, "--key-env", "TKS_REL_VERIFY_KEY"}, "",
      scratch);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  ++runs;
#else
  (void)path;
  (void)runs;
#endif
}

TEST(CrashSafetyTest, AcknowledgedSavesSurviveSigkill) {
  // Step 1: an empty durable store and the helper's key.
  SetChildKey();
  testing::TempDir dir;
  const std::string path = dir.Sub("store");
  ASSERT_NE(testing::OpenOrDie(DurableOptions(path)), nullptr);
  const int cycles = LongMode() ? 1000 : 200;
  std::mt19937_64 rng(20261204);
  std::map<std::string, uint64_t> acked_seq;         // id -> seq
  std::map<std::string, uint64_t> acked_generation;  // id -> generation
  uint64_t kills_with_acks = 0;
  int verify_runs = 0;

  for (int cycle = 0; cycle < cycles; ++cycle) {
    // Step 2: a fresh helper saving records; kill it at a random moment
    // (from 0 to 100 ms: during open, between and inside commits).
    std::map<std::string, uint64_t> cycle_acks;
    {
      ChildProcess child(
          {"crash", path, std::to_string(cycle * 100000), "99999"});
      ASSERT_TRUE(child.started());
      ::usleep(static_cast<useconds_t>(rng() % 100000));
      child.Kill();
      for (const std::string& line : child.acks().Drain()) {
        std::istringstream fields(line);
        std::string kind;
        std::string id;
        uint64_t number = 0;
        if (line[0] == 'I') {
          fields >> kind >> number >> id;
          acked_seq[id] = number;
          cycle_acks[id] = number;
          acked_generation[id] = std::max<uint64_t>(acked_generation[id], 1);
        } else {
          fields >> kind >> id >> number;
          acked_generation[id] = std::max(acked_generation[id], number);
        }
      }
    }
    kills_with_acks += !cycle_acks.empty();

    // Step 3: reopen with no manual step; this cycle's acknowledged
    // records by every path, every earlier one by id and generation.
    auto store = testing::OpenOrDie(DurableOptions(path));
    ASSERT_NE(store, nullptr) << "cycle " << cycle;
    for (const auto& [id, seq] : cycle_acks) {
      ExpectFoundByEveryPath(*store, ExpectedRecord(seq, id));
    }
    for (const auto& [id, generation] : acked_generation) {
      auto found = store->FindTokenById(id);
      ASSERT_TRUE(found.ok()) << "cycle " << cycle << " lost id " << id << ": "
                              << found.status().ToString();
      ASSERT_GE(found->generation(), generation) << "id " << id;
    }

    // Step 4: the store is consistent.
    const ConsistencyReport report = CheckConsistency(*store);
    ASSERT_TRUE(report.clean())
        << "cycle " << cycle << ": " << report.Summary();
    ASSERT_GE(report.records, acked_seq.size());
    if (cycle % 20 == 19) ExpectTksVerifyClean(path, verify_runs);
    if (::testing::Test::HasFailure()) return;
  }

  // Step 5: at the end every record again by every path.
  auto store = testing::OpenOrDie(DurableOptions(path));
  for (const auto& [id, seq] : acked_seq) {
    ExpectFoundByEveryPath(*store, ExpectedRecord(seq, id));
  }
  Figure("kill_cycles", static_cast<uint64_t>(cycles));
  Figure("kills_after_acks", kills_with_acks);
  Figure("acknowledged_records", acked_seq.size());
  Figure("acknowledged_saves_lost", 0);
  ExpectTksVerifyClean(path, verify_runs);
  Figure("tks_verify_runs", verify_runs);
  EXPECT_GT(kills_with_acks, static_cast<uint64_t>(cycles) / 4);
}

}  // namespace
}  // namespace tks::reliability

// Promise 2 (DESIGN §6, issue #6): faults surface, never as success. A
// helper runs under an LD_PRELOAD shim (fault_shim.c) that fails writes or
// flushes of data.mdb with EIO or ENOSPC after N calls. The failing save
// returns IO_FATAL or MAP_FULL, the handle refuses the next write until
// reopened, and the store reopens consistent with every earlier and every
// acknowledged record intact.
#include <map>
#include <sstream>
#include <vector>

#include "child_process.h"
#include "consistency_check.h"
#include "reliability_support.h"

namespace tks::reliability {
namespace {

std::string Seq(uint64_t n) { return std::to_string(n); }

Token FaultRecord(uint64_t seq, const std::string& id) {
  return testing::MakeToken({{Field::kId, id},
                             {Field::kUserName, "crash-user-" + Seq(seq)},
                             {Field::kRefreshToken, "rt-" + Seq(seq)},
                             {Field::kAccessToken, "at-" + Seq(seq)},
                             {Field::kGrantToken, "gt-" + Seq(seq)}});
}

struct FaultCase {
  std::string op;
  std::string error;
  int after;
  bool once;
};

TEST(FaultTest, InjectedIoErrorsSurfaceAndPoisonTheHandle) {
  // Step 1: a durable store with earlier data.
  SetChildKey();
  testing::TempDir dir;
  const std::string path = dir.Sub("store");
  std::vector<Token> earlier;
  {
    auto store = testing::OpenOrDie(DurableOptions(path));
    ASSERT_NE(store, nullptr);
    for (uint64_t n = 0; n < 20; ++n) {
      Token token = FaultRecord(n, "");
      token.clear(Field::kId);
      ASSERT_TRUE(store->SaveToken(token).ok());
      earlier.push_back(token);
    }
  }

  // Step 2: every fault kind at many points of the write path.
  std::vector<FaultCase> cases;
  const std::vector<int> points =
      LongMode() ? std::vector<int>{0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10,
                                    11, 12, 13, 17, 21, 29, 34, 41, 55, 89}
                 : std::vector<int>{0, 1, 2, 3, 5, 8, 13, 21, 34, 55};
  for (const char* op : {"write", "sync"}) {
    for (const char* error : {"EIO", "ENOSPC"}) {
      for (int after : points) {
        cases.push_back({op, error, after, false});
        cases.push_back({op, error, after, true});
      }
    }
  }
  uint64_t faults_surfaced = 0;
  std::map<std::string, uint64_t> acked;  // id -> seq
  for (const FaultCase& fault : cases) {
    const std::string label = fault.op + "/" + fault.error + " after " +
                              std::to_string(fault.after) +
                              (fault.once ? " once" : "");
    std::string first_failure;
    std::string next_failure;
    {
      ChildProcess child(
          {"fault", path, "400"},
          {"LD_PRELOAD=" TKS_FAULT_SHIM,
           // Under AddressSanitizer the shim is loaded before the runtime.
           "ASAN_OPTIONS=verify_asan_link_order=0", "TKS_FAULT_OP=" + fault.op,
           "TKS_FAULT_ERRNO=" + fault.error,
           "TKS_FAULT_AFTER=" + std::to_string(fault.after),
           std::string("TKS_FAULT_ONCE=") + (fault.once ? "1" : "0")});
      ASSERT_TRUE(child.started());
      std::vector<std::string> lines;
      for (;;) {
        auto line = child.out().Next(std::chrono::seconds(60));
        if (!line) break;
        lines.push_back(*line);
      }
      EXPECT_EQ(child.Wait(), 0) << label;
      for (const std::string& line : lines) {
        std::istringstream fields(line);
        std::string kind;
        fields >> kind;
        if (kind == "A") {
          uint64_t seq = 0;
          std::string id;
          fields >> seq >> id;
          acked[id] = seq;
        } else if (kind == "F") {
          fields >> first_failure;
        } else if (kind == "G") {
          fields >> next_failure;
        }
      }
    }

    // The failure surfaced, and the handle refused the next write.
    EXPECT_TRUE(first_failure == "IO_FATAL" || first_failure == "MAP_FULL")
        << label << ": first failure " << first_failure;
    EXPECT_EQ(next_failure, "IO_FATAL") << label;
    faults_surfaced += !first_failure.empty();

    // Reopened without the shim: consistent, nothing earlier lost.
    auto store = testing::OpenOrDie(DurableOptions(path));
    ASSERT_NE(store, nullptr) << label;
    const ConsistencyReport report = CheckConsistency(*store);
    ASSERT_TRUE(report.clean()) << label << ": " << report.Summary();
    for (const Token& token : earlier) {
      ExpectFoundByEveryPath(*store, token);
    }
    for (const auto& [id, seq] : acked) {
      ExpectFoundByEveryPath(*store, FaultRecord(seq, id));
    }
    if (HasFailure()) return;
  }
  Figure("faults_injected", cases.size());
  Figure("faults_surfaced", faults_surfaced);
  Figure("fault_acked_records_checked", acked.size());
}

}  // namespace
}  // namespace tks::reliability

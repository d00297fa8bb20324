// tks_bench: one binary running the same work on tokenstore and on every
// store it replaces, so the ratios come from one run (DESIGN §12).
//
// Flags of its own (the rest go to Google Benchmark):
//   --sizes=10000,100000,1000000   data set sizes (records)
//   --peers=tokenstore,sqlite-indexed,...   only these peers
//   --list_peers                   print the available peers and exit
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "bench_ops.h"
#include "peer_registry.h"

namespace {

std::vector<std::string> SplitCommas(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    parts.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return parts;
}

struct Flags {
  std::vector<size_t> sizes = {10000, 100000, 1000000};
  std::vector<std::string> peers;
  bool list_peers = false;
};

// Takes this binary's flags out of argv, leaving Google Benchmark's.
Flags ParseFlags(int* argc, char** argv) {
  Flags flags;
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--sizes=")) {
      flags.sizes.clear();
      for (const std::string& size : SplitCommas(arg.substr(8))) {
        flags.sizes.push_back(std::strtoull(size.c_str(), nullptr, 10));
      }
    } else if (arg.starts_with("--peers=")) {
      flags.peers = SplitCommas(arg.substr(8));
    } else if (arg == "--list_peers") {
      flags.list_peers = true;
    } else {
      argv[kept++] = argv[i];
    }
  }
  *argc = kept;
  return flags;
}

// The console output, counting runs that ended in an error so the exit
// status can tell (the smoke test relies on it).
class CountingReporter : public benchmark::ConsoleReporter {
 public:
  CountingReporter() : ConsoleReporter(OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) ++errors_;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  int errors() const { return errors_; }

 private:
  int errors_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  // Step 1: our flags, then Google Benchmark's.
  const Flags flags = ParseFlags(&argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  // Step 2: the peers reachable here.
  const std::vector<tks::bench::PeerSpec> peers =
      tks::bench::AvailablePeers(flags.peers);
  if (flags.list_peers) {
    for (const auto& peer : peers) std::printf("%s\n", peer.name.c_str());
    return 0;
  }

  // Step 3: register and run.
  tks::bench::RegisterAll(peers, flags.sizes);
  CountingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  if (reporter.errors() > 0) {
    std::fprintf(stderr, "%d benchmark(s) failed\n", reporter.errors());
    return 1;
  }
  return 0;
}

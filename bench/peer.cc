#include "peer.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>

#include "peers/peer_factories.h"

namespace tks::bench {

size_t ServerPeerCap() {
  const char* cap = std::getenv("TKS_BENCH_SERVER_MAX");
  return cap == nullptr ? 100000 : std::strtoull(cap, nullptr, 10);
}

Status Session::SaveIf(Record&, uint64_t) {
  return InvalidArgument("this store offers no save_token_if");
}

ScratchDir::ScratchDir(std::string_view tag) {
  // Under $TKS_BENCH_DIR when set (a disk to measure), else the temp dir.
  const char* base = ::getenv("TKS_BENCH_DIR");
  const std::filesystem::path root =
      base != nullptr ? std::filesystem::path(base)
                      : std::filesystem::temp_directory_path();
  std::filesystem::create_directories(root);
  std::string pattern =
      (root / ("tks-bench-" + std::string(tag) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

}  // namespace tks::bench

#include "fork_guard.h"

#include <pthread.h>

#include <atomic>
#include <mutex>

namespace tks {
namespace {

std::atomic<uint64_t> g_fork_generation{0};

void OnForkInChild() {
  g_fork_generation.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

uint64_t ForkGeneration() {
  static std::once_flag registered;
  std::call_once(registered,
                 [] { pthread_atfork(nullptr, nullptr, &OnForkInChild); });
  return g_fork_generation.load(std::memory_order_relaxed);
}

}  // namespace tks

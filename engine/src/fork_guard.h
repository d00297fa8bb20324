// Detects use of a store handle in a child process after fork().
#ifndef TOKENSTORE_ENGINE_FORK_GUARD_H_
#define TOKENSTORE_ENGINE_FORK_GUARD_H_

#include <cstdint>

namespace tks {

// A number that changes in every child created by fork(). Cheap: one
// relaxed atomic load.
uint64_t ForkGeneration();

}  // namespace tks

#endif  // TOKENSTORE_ENGINE_FORK_GUARD_H_

// Refusing network filesystems: LMDB's locks and shared memory map do not
// work across hosts, so a store there would corrupt silently.
#ifndef TOKENSTORE_ENGINE_FS_CHECK_H_
#define TOKENSTORE_ENGINE_FS_CHECK_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tokenstore/status.h"

namespace tks {

// The name of a network filesystem with that statfs magic number
// (e.g. "nfs"), or "" for a local one.
std::string_view NetworkFilesystemName(uint64_t fs_magic);

// UNSUPPORTED_FS naming the directory and filesystem when `dir` is on a
// network filesystem; INTERNAL if it cannot be checked.
Status CheckLocalFilesystem(const std::string& dir);

}  // namespace tks

#endif  // TOKENSTORE_ENGINE_FS_CHECK_H_

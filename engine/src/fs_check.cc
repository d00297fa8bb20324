#include "fs_check.h"

#include <sys/vfs.h>

#include <cerrno>
#include <cstring>

namespace tks {

std::string_view NetworkFilesystemName(uint64_t fs_magic) {
  switch (fs_magic) {
    case 0x6969:
      return "nfs";
    case 0x517B:
      return "smb";
    case 0xFF534D42:
      return "cifs";
    case 0xFE534D42:
      return "smb2";
    case 0x5346414F:
      return "afs";
    case 0x73757245:
      return "coda";
    case 0x564C:
      return "ncp";
    case 0x00C36400:
      return "ceph";
    case 0x01021997:
      return "9p";
    case 0x47504653:
      return "gpfs";
    case 0x0BD00BD0:
      return "lustre";
    default:
      return "";
  }
}

Status CheckLocalFilesystem(const std::string& dir) {
  struct statfs info {};
  if (::statfs(dir.c_str(), &info) != 0) {
    return Internal("cannot check the filesystem of " + dir + ": " +
                    std::strerror(errno));
  }
  const std::string_view name =
      NetworkFilesystemName(static_cast<uint64_t>(info.f_type));
  if (!name.empty()) {
    return {Code::kUnsupportedFs,
            "store directory " + dir + " is on a network filesystem (" +
                std::string(name) + "); use a local disk"};
  }
  return Status::Ok();
}

}  // namespace tks

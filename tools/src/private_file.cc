#include "private_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tks::tools {

Result<PrivateFile> PrivateFile::Create(const std::string& path) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    if (error == EEXIST) {
      return InvalidArgument(path + " exists; not overwriting it");
    }
    return Internal("cannot create " + path + ": " + std::strerror(error));
  }
  return PrivateFile(fd, path);
}

PrivateFile::~PrivateFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status PrivateFile::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t wrote = ::write(fd_, bytes.data(), bytes.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) {
      return Internal("cannot write " + path_ + ": " + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(wrote));
  }
  return Status::Ok();
}

Status PrivateFile::Close() {
  const int fd = fd_;
  fd_ = -1;
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return Internal("cannot close " + path_ + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace tks::tools

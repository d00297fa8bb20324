// New files for secrets: created 0600, never over an existing file.
#ifndef TOKENSTORE_TOOLS_PRIVATE_FILE_H_
#define TOKENSTORE_TOOLS_PRIVATE_FILE_H_

#include <string>
#include <string_view>

#include "tokenstore/status.h"

namespace tks::tools {

// An open file descriptor, closed on destruction.
class PrivateFile {
 public:
  // Creates `path` with mode 0600. INVALID_ARGUMENT if it exists;
  // INTERNAL for other errors.
  static Result<PrivateFile> Create(const std::string& path);

  PrivateFile(PrivateFile&& other) noexcept
      : fd_(other.fd_), path_(std::move(other.path_)) {
    other.fd_ = -1;
  }
  PrivateFile(const PrivateFile&) = delete;
  PrivateFile& operator=(const PrivateFile&) = delete;
  PrivateFile& operator=(PrivateFile&&) = delete;
  ~PrivateFile();

  // Writes all of `bytes`. INTERNAL on error.
  Status Write(std::string_view bytes);
  // Flushes to disk and closes. INTERNAL on error.
  Status Close();

 private:
  PrivateFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_PRIVATE_FILE_H_

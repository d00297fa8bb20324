// Starting the reliability helper (reliability_child) with a fresh exec and
// talking to it through pipes: its stdin, its stdout and an ack pipe on
// its fd 3. The helper inherits $TKS_REL_KEY, set by SetChildKey.
#ifndef TOKENSTORE_TESTS_RELIABILITY_CHILD_PROCESS_H_
#define TOKENSTORE_TESTS_RELIABILITY_CHILD_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tks::reliability {

// Path of the helper binary (set by CMake).
std::string ChildBinary();

// The hex root key every helper opens with (the tests' key 'k' * 32).
void SetChildKey();

// Reads whole lines from a pipe.
class LineReader {
 public:
  LineReader() = default;
  explicit LineReader(int fd) : fd_(fd) {}
  // The next line, or nullopt at end of file or after `timeout`.
  std::optional<std::string> Next(std::chrono::milliseconds timeout);
  // Every line until end of file (all writers gone), waiting at most
  // two minutes.
  std::vector<std::string> Drain();

 private:
  bool Fill(int timeout_ms);
  int fd_ = -1;
  bool eof_ = false;
  std::string buffer_;
};

class ChildProcess {
 public:
  // Spawns the helper with `args`; extra environment as "NAME=value".
  ChildProcess(const std::vector<std::string>& args,
               const std::vector<std::string>& extra_env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool started() const { return pid_ > 0; }
  LineReader& acks() { return acks_; }
  LineReader& out() { return out_; }

  // Writes a line to the child's stdin.
  bool Send(const std::string& line);
  // Closes the child's stdin.
  void CloseInput();
  // SIGKILL and reap.
  void Kill();
  // Waits for exit; the exit status (128 + signal when killed).
  int Wait();

 private:
  pid_t pid_ = -1;
  int in_fd_ = -1;
  int out_fd_ = -1;
  int ack_fd_ = -1;
  LineReader out_;
  LineReader acks_;
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace tks::reliability

#endif  // TOKENSTORE_TESTS_RELIABILITY_CHILD_PROCESS_H_

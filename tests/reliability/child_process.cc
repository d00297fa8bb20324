#include "child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace tks::reliability {

std::string ChildBinary() { return TKS_RELIABILITY_CHILD; }

void SetChildKey() {
  // 'k' is 0x6b: the hex form of 32 'k' bytes.
  std::string hex;
  for (int i = 0; i < 32; ++i) hex += "6b";
  ::setenv("TKS_REL_KEY", hex.c_str(), 1);
}

bool LineReader::Fill(int timeout_ms) {
  if (eof_ || fd_ < 0) return false;
  pollfd pfd{fd_, POLLIN, 0};
  const int ready = ::poll(&pfd, 1, timeout_ms);
  if (ready <= 0) return false;
  char chunk[4096];
  const ssize_t got = ::read(fd_, chunk, sizeof chunk);
  if (got <= 0) {
    eof_ = true;
    return false;
  }
  buffer_.append(chunk, static_cast<size_t>(got));
  return true;
}

std::optional<std::string> LineReader::Next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const size_t end = buffer_.find('\n');
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || eof_) return std::nullopt;
    if (!Fill(static_cast<int>(left.count())) && eof_) return std::nullopt;
  }
}

std::vector<std::string> LineReader::Drain() {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!eof_ && std::chrono::steady_clock::now() < deadline) Fill(1000);
  std::vector<std::string> lines;
  size_t end = 0;
  while ((end = buffer_.find('\n')) != std::string::npos) {
    lines.push_back(buffer_.substr(0, end));
    buffer_.erase(0, end + 1);
  }
  return lines;  // A partial last line (torn write) is dropped.
}

ChildProcess::ChildProcess(const std::vector<std::string>& args,
                           const std::vector<std::string>& extra_env) {
  // Step 1: pipes for stdin, stdout and the ack channel (fd 3).
  int in[2];
  int out[2];
  int ack[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 ||
      ::pipe2(ack, O_CLOEXEC) != 0) {
    return;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, ack[1], 3);

  // Step 2: argv and environment.
  std::vector<std::string> all = {ChildBinary()};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : all) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings(extra_env);
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  // Step 3: spawn (a fresh exec), keep our ends.
  if (::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(),
                    envp.data()) != 0) {
    pid_ = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  ::close(ack[1]);
  in_fd_ = in[1];
  out_fd_ = out[0];
  ack_fd_ = ack[0];
  out_ = LineReader(out_fd_);
  acks_ = LineReader(ack_fd_);
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !reaped_) Kill();
  for (int fd : {in_fd_, out_fd_, ack_fd_}) {
    if (fd >= 0) ::close(fd);
  }
}

bool ChildProcess::Send(const std::string& line) {
  const std::string text = line + "\n";
  return ::write(in_fd_, text.data(), text.size()) ==
         static_cast<ssize_t>(text.size());
}

void ChildProcess::CloseInput() {
  if (in_fd_ >= 0) ::close(in_fd_);
  in_fd_ = -1;
}

void ChildProcess::Kill() {
  if (pid_ <= 0 || reaped_) return;
  ::kill(pid_, SIGKILL);
  Wait();
}

int ChildProcess::Wait() {
  if (pid_ <= 0) return -1;
  if (!reaped_) {
    int raw = 0;
    while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  }
  return status_;
}

}  // namespace tks::reliability

#include "passphrase_input.h"

#include <termios.h>
#include <unistd.h>

#include <istream>
#include <ostream>

namespace tks::tools {
namespace {

// Turns terminal echo off for its lifetime.
class EchoOff {
 public:
  EchoOff() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

}  // namespace

Result<std::shared_ptr<const crypto::SecretString>> ReadPassphrase(CliIo& io) {
  // Step 1: a prompt and no echo at a terminal.
  std::unique_ptr<EchoOff> echo_off;
  if (io.input_terminal) {
    io.err << "passphrase: " << std::flush;
    echo_off = std::make_unique<EchoOff>();
  }

  // Step 2: one line into wiped memory.
  auto phrase = std::make_shared<crypto::SecretString>();
  char c;
  while (io.in.get(c) && c != '\n') phrase->push_back(c);
  if (!phrase->empty() && phrase->back() == '\r') phrase->pop_back();
  if (io.input_terminal) io.err << "\n";
  if (phrase->empty()) return InvalidArgument("empty passphrase");
  return std::shared_ptr<const crypto::SecretString>(std::move(phrase));
}

}  // namespace tks::tools

// Progress: a count and rate on one terminal line, redrawn at most a few
// times a second; silent when the stream is not a terminal.
#ifndef TOKENSTORE_TOOLS_PROGRESS_H_
#define TOKENSTORE_TOOLS_PROGRESS_H_

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>

namespace tks::tools {

class Progress {
 public:
  // `what` names the work, e.g. "imported"; `out` is drawn on only when
  // `terminal`.
  Progress(std::ostream& out, bool terminal, std::string what);

  // Reports `done` items so far.
  void Update(size_t done);
  // Clears the line.
  void Finish();

 private:
  void Draw(size_t done);

  std::ostream& out_;
  bool terminal_;
  std::string what_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
  bool drawn_ = false;
};

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_PROGRESS_H_

#include "progress.h"

#include <ostream>

namespace tks::tools {

Progress::Progress(std::ostream& out, bool terminal, std::string what)
    : out_(out),
      terminal_(terminal),
      what_(std::move(what)),
      started_(std::chrono::steady_clock::now()),
      last_draw_(started_) {}

void Progress::Update(size_t done) {
  if (!terminal_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  Draw(done);
}

void Progress::Draw(size_t done) {
  const double seconds =
      std::chrono::duration<double>(last_draw_ - started_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  out_ << "\r" << what_ << " " << done << " (" << static_cast<size_t>(rate)
       << "/s)   " << std::flush;
  drawn_ = true;
}

void Progress::Finish() {
  if (terminal_ && drawn_) out_ << "\r\033[K" << std::flush;
}

}  // namespace tks::tools

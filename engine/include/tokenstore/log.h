// The log sink: the library never prints; the host decides where lifecycle
// events (open, recovery, map growth, key rotation) go. Messages never
// hold a token value, secret or user name.
#ifndef TOKENSTORE_LOG_H_
#define TOKENSTORE_LOG_H_

#include <functional>
#include <string_view>

namespace tks {

enum class LogLevel : int { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Called from whichever thread caused the event, possibly several at once:
// the sink must be thread-safe. It must not call back into the store.
using LogSink = std::function<void(LogLevel level, std::string_view message)>;

std::string_view LogLevelName(LogLevel level);

}  // namespace tks

#endif  // TOKENSTORE_LOG_H_

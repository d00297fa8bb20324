// Args: a parsed tks command line: flags (--name, --name VALUE,
// --name=VALUE) and positional words.
#ifndef TOKENSTORE_TOOLS_ARGS_H_
#define TOKENSTORE_TOOLS_ARGS_H_

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "tokenstore/status.h"

namespace tks::tools {

// The flags one command accepts.
struct FlagSpec {
  std::set<std::string> with_value;  // e.g. "store", "key-file".
  std::set<std::string> switches;    // e.g. "reveal", "help".
};

class Args {
 public:
  // INVALID_ARGUMENT for an unknown flag, a missing value or a repeated
  // flag. "--" ends the flags.
  static Result<Args> Parse(std::span<const std::string> words,
                            const FlagSpec& spec);

  bool Has(const std::string& name) const { return flags_.count(name) > 0; }
  // The flag's value; nullopt when absent (or a switch).
  std::optional<std::string> Value(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::optional<std::string>> flags_;
  std::vector<std::string> positional_;
};

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_ARGS_H_

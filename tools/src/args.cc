#include "args.h"

namespace tks::tools {

Result<Args> Args::Parse(std::span<const std::string> words,
                         const FlagSpec& spec) {
  Args args;
  bool flags_done = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];

    // Step 1: positional words, and everything after "--".
    if (flags_done || word.size() < 2 || word.compare(0, 2, "--") != 0) {
      args.positional_.push_back(word);
      continue;
    }
    if (word == "--") {
      flags_done = true;
      continue;
    }

    // Step 2: split --name=value.
    std::string name = word.substr(2);
    std::optional<std::string> value;
    const size_t equals = name.find('=');
    if (equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    }

    // Step 3: check the flag against the command's list.
    const bool takes_value = spec.with_value.count(name) > 0;
    if (!takes_value && spec.switches.count(name) == 0) {
      return InvalidArgument("unknown option --" + name);
    }
    if (!takes_value && value) {
      return InvalidArgument("option --" + name + " takes no value");
    }
    if (takes_value && !value) {
      if (i + 1 >= words.size()) {
        return InvalidArgument("option --" + name + " needs a value");
      }
      value = words[++i];
    }
    if (args.flags_.count(name) > 0) {
      return InvalidArgument("option --" + name + " given twice");
    }
    args.flags_[name] = value;
  }
  return args;
}

std::optional<std::string> Args::Value(const std::string& name) const {
  auto it = flags_.find(name);
  if (it == flags_.end()) return std::nullopt;
  return it->second;
}

}  // namespace tks::tools

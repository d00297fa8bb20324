#include "cli_common.h"

#include <cstdio>
#include <cstdlib>
#include <istream>
#include <memory>
#include <mutex>
#include <ostream>

#include "tokenstore/redact.h"

namespace tks::tools {

FlagSpec StoreFlags(FlagSpec extra) {
  extra.with_value.insert({"store", "key-file", "key-env"});
  extra.switches.insert({"help", "passphrase"});
  return extra;
}

std::string_view StoreFlagsHelp() {
  return "  --store DIR       the store directory (default: $TKS_STORE)\n"
         "  --key-file FILE   root key file (default: DIR.key, or\n"
         "                    $TKS_ROOT_KEY when that is set)\n"
         "  --key-env VAR     read the root key (64 hex chars) from $VAR\n"
         "  --passphrase      derive the root key (Argon2id) from a\n"
         "                    passphrase: typed at the terminal, or the\n"
         "                    first line of standard input\n";
}

Result<std::string> StorePath(const Args& args) {
  // Step 1: the flag wins over the environment.
  if (auto flag = args.Value("store")) {
    if (flag->empty()) return InvalidArgument("--store is empty");
    return *flag;
  }
  const char* env = std::getenv(kStoreEnv);
  if (env != nullptr && *env != '\0') return std::string(env);
  return InvalidArgument("no store: give --store DIR or set TKS_STORE");
}

std::string DefaultKeyFile(const std::string& store_path) {
  std::string base = store_path;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  return base + ".key";
}

Result<RootKeySource> KeySource(const Args& args, const std::string& store_path,
                                const CliIo& io) {
  // Step 1: at most one explicit source.
  auto file = args.Value("key-file");
  auto env = args.Value("key-env");
  const bool passphrase = args.Has("passphrase");
  if (int{file.has_value()} + int{env.has_value()} + int{passphrase} > 1) {
    return InvalidArgument(
        "give one of --key-file, --key-env and --passphrase");
  }

  // Step 2: explicit source, then $TKS_ROOT_KEY, then the default file.
  RootKeySource source;
  if (passphrase) {
    if (io.passphrase == nullptr || io.passphrase->empty()) {
      return InvalidArgument("no passphrase was given");
    }
    source.passphrase = io.passphrase;
  } else if (file) {
    source.key_file = *file;
  } else if (env) {
    source.key_env = *env;
  } else if (std::getenv(kRootKeyEnv) != nullptr) {
    source.key_env = kRootKeyEnv;
  } else {
    source.key_file = DefaultKeyFile(store_path);
  }
  return source;
}

Result<std::unique_ptr<Store>> OpenStore(const Args& args, const CliIo& io) {
  // Step 1: path and root key.
  TKS_ASSIGN_OR_RETURN(std::string path, StorePath(args));
  Options options;
  options.path = path;
  options.create_if_missing = false;
  TKS_ASSIGN_OR_RETURN(options.root_key, KeySource(args, path, io));

  // Step 2: the engine's warnings and errors (which never hold a secret)
  // go to stderr, one line each, from whichever thread.
  auto lock = std::make_shared<std::mutex>();
  std::ostream* err = &io.err;
  options.log = [lock, err](LogLevel level, std::string_view message) {
    if (level < LogLevel::kWarning) return;
    std::lock_guard<std::mutex> held(*lock);
    *err << "tks: " << LogLevelName(level) << ": " << message << "\n";
  };
  return Store::Open(options);
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case Code::kOk:
      return kExitOk;
    case Code::kNotFound:
      return kExitNotFound;
    case Code::kWrongKey:
      return kExitWrongKey;
    case Code::kCorrupt:
      return kExitCorrupt;
    default:
      return kExitError;
  }
}

int Fail(CliIo& io, std::string_view command, const Status& status) {
  io.err << "tks " << command << ": " << status.ToString() << "\n";
  return ExitCodeFor(status);
}

int UsageError(CliIo& io, std::string_view command, std::string_view what) {
  io.err << "tks " << command << ": " << what << " (see tks " << command
         << " --help)\n";
  return kExitUsage;
}

void PrintRecord(std::ostream& out, const Token& token, bool reveal) {
  for (Field field : kAllFields) {
    std::string name(FieldName(field));
    name.resize(15, ' ');
    out << "  " << name << ShowField(token, field, reveal) << "\n";
  }
  out << "  generation     " << token.generation() << "\n";
  out << "  updated_at_ms  " << token.updated_at_ms() << "\n";
}

std::string FormatDuration(std::chrono::nanoseconds elapsed) {
  const double ns = static_cast<double>(elapsed.count());
  char text[32];
  if (ns < 1e6) {
    std::snprintf(text, sizeof(text), "%.1f µs", ns / 1e3);
  } else if (ns < 1e9) {
    std::snprintf(text, sizeof(text), "%.2f ms", ns / 1e6);
  } else {
    std::snprintf(text, sizeof(text), "%.2f s", ns / 1e9);
  }
  return text;
}

Result<std::vector<crypto::SecretString>> ReadSecretLines(std::istream& in,
                                                          size_t max_lines) {
  std::vector<crypto::SecretString> lines;
  crypto::SecretString line;
  char c;
  bool pending = false;
  while (in.get(c)) {
    // Step 1: gather bytes up to a line end.
    if (c != '\n') {
      line.push_back(c);
      pending = true;
      continue;
    }

    // Step 2: close the line, dropping a CR before the LF.
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    line = crypto::SecretString();
    pending = false;
    if (lines.size() > max_lines) {
      return InvalidArgument("more than " + std::to_string(max_lines) +
                             " input lines");
    }
  }

  // Step 3: a last line without its line end still counts.
  if (pending) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  if (lines.size() > max_lines) {
    return InvalidArgument("more than " + std::to_string(max_lines) +
                           " input lines");
  }
  return lines;
}

}  // namespace tks::tools

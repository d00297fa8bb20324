// Helpers for the tks tests: run tks in process (RunTks) or as the real
// binary (a child process), and gather the secret values of a token file.
#ifndef TOKENSTORE_TESTS_TOOLS_CLI_HARNESS_H_
#define TOKENSTORE_TESTS_TOOLS_CLI_HARNESS_H_

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_store.h"
#include "tokenstore/tools/cli.h"
#include "tokenstore/tools/sdk_csv.h"

namespace tks::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a tks command in this process with `input` as standard input.
inline CliRun RunInProcess(const std::vector<std::string>& args,
                           const std::string& input = "") {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  CliRun run;
  run.exit_code = tools::RunTks(args, tools::CliIo{in, out, err, false});
  run.out = out.str();
  run.err = err.str();
  return run;
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Runs the tks binary with `input` on standard input; the environment is
// this process's. `scratch` holds the stream files.
inline CliRun RunBinary(const std::string& binary,
                        const std::vector<std::string>& args,
                        const std::string& input, const TempDir& scratch) {
  // Step 1: the input and output files.
  const std::string in_path = scratch.Sub("stdin");
  const std::string out_path = scratch.Sub("stdout");
  const std::string err_path = scratch.Sub("stderr");
  std::ofstream(in_path, std::ios::binary | std::ios::trunc) << input;

  // Step 2: fork and exec with the streams redirected.
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (const std::string& arg : args) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  const pid_t child = ::fork();
  if (child == 0) {
    const int in = ::open(in_path.c_str(), O_RDONLY);
    const int out =
        ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err =
        ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }

  // Step 3: wait and collect.
  CliRun run;
  int status = 0;
  if (child > 0 && ::waitpid(child, &status, 0) == child && WIFEXITED(status)) {
    run.exit_code = WEXITSTATUS(status);
  }
  run.out = ReadWholeFile(out_path);
  run.err = ReadWholeFile(err_path);
  return run;
}

// Every secret value (user name, client secret, tokens) in `rows`.
inline std::vector<std::string> SecretValues(
    const std::vector<tools::SdkRow>& rows) {
  std::vector<std::string> secrets;
  for (const tools::SdkRow& row : rows) {
    for (Field field : kAllFields) {
      if (IsSecretField(field) && row.token.has(field)) {
        secrets.emplace_back(row.token.view(field));
      }
    }
  }
  return secrets;
}

// The first secret of `secrets` that occurs in `text`, or "".
inline std::string FirstLeak(const std::string& text,
                             const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (text.find(secret) != std::string::npos) return secret;
  }
  return "";
}

}  // namespace tks::testing

#endif  // TOKENSTORE_TESTS_TOOLS_CLI_HARNESS_H_

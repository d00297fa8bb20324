// The tks binary: the operator command line (tools/src/cli.cc).
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "tokenstore/tools/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  tks::tools::CliIo io{std::cin, std::cout, std::cerr,
                       ::isatty(STDERR_FILENO) == 1,
                       ::isatty(STDIN_FILENO) == 1};
  const int exit_code = tks::tools::RunTks(args, io);
  std::cout.flush();
  return exit_code;
}

// The tks commands. Each takes the words after its name, handles --help
// itself and returns an ExitCode.
#ifndef TOKENSTORE_TOOLS_COMMANDS_H_
#define TOKENSTORE_TOOLS_COMMANDS_H_

#include <span>
#include <string>

#include "tokenstore/tools/cli.h"

namespace tks::tools {

using CommandArgs = std::span<const std::string>;

int CmdInit(CommandArgs args, CliIo& io);
int CmdImport(CommandArgs args, CliIo& io);
int CmdExport(CommandArgs args, CliIo& io);
int CmdFind(CommandArgs args, CliIo& io);
int CmdGet(CommandArgs args, CliIo& io);
int CmdList(CommandArgs args, CliIo& io);
int CmdDelete(CommandArgs args, CliIo& io);
int CmdStats(CommandArgs args, CliIo& io);
int CmdVerify(CommandArgs args, CliIo& io);
int CmdBackup(CommandArgs args, CliIo& io);
int CmdRestore(CommandArgs args, CliIo& io);
int CmdPurgeExpired(CommandArgs args, CliIo& io);
int CmdDeleteUser(CommandArgs args, CliIo& io);
int CmdRotateKey(CommandArgs args, CliIo& io);

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_COMMANDS_H_

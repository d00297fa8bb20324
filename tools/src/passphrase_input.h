// Reading a passphrase: from the terminal without echo, or one line of a
// stream.
#ifndef TOKENSTORE_TOOLS_PASSPHRASE_INPUT_H_
#define TOKENSTORE_TOOLS_PASSPHRASE_INPUT_H_

#include <memory>

#include "tokenstore/crypto/secret.h"
#include "tokenstore/status.h"
#include "tokenstore/tools/cli.h"

namespace tks::tools {

// The passphrase: typed at the terminal after a prompt on io.err (echo
// off) when io.input_terminal, else the first line of io.in (CR LF or LF
// dropped). INVALID_ARGUMENT when it is empty.
Result<std::shared_ptr<const crypto::SecretString>> ReadPassphrase(CliIo& io);

}  // namespace tks::tools

#endif  // TOKENSTORE_TOOLS_PASSPHRASE_INPUT_H_

#include "tokenstore/crypto/root_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tks::crypto {
namespace {

constexpr size_t kHexSize = SecretKey::kSize * 2;

std::string_view Trim(std::string_view text) {
  const char* space = " \t\r\n";
  const size_t first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(space);
  return text.substr(first, last - first + 1);
}

}  // namespace

Result<SecretKey> RootKeyFromHex(std::string_view hex) {
  // Step 1: exactly 64 hex digits after trimming.
  hex = Trim(hex);
  if (hex.size() != kHexSize) {
    return InvalidArgument("root key must be 64 hexadecimal characters");
  }

  // Step 2: decode into wiping memory, then into guarded memory.
  SecretString bytes;
  bytes.resize(SecretKey::kSize);
  size_t decoded = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(bytes.data()),
                     bytes.size(), hex.data(), hex.size(), nullptr, &decoded,
                     nullptr) != 0 ||
      decoded != SecretKey::kSize) {
    return InvalidArgument("root key is not valid hexadecimal");
  }
  return SecretKey::FromBytes(bytes.view());
}

Result<SecretKey> ReadKeyFile(const std::string& path) {
  // Step 1: open and refuse a file others could read.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("key file " + path + " not found");
    return InvalidArgument("cannot open key file " + path + ": " +
                           std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || (info.st_mode & 077) != 0) {
    ::close(fd);
    return InvalidArgument("key file " + path +
                           " is readable by group or others; chmod 600 it");
  }

  // Step 2: read it whole (a key file is small) and parse.
  SecretString text;
  text.resize(256);
  const ssize_t n = ::read(fd, text.data(), text.size());
  ::close(fd);
  if (n < 0) return InvalidArgument("cannot read key file " + path);
  text.resize(static_cast<size_t>(n));
  auto key = RootKeyFromHex(text.view());
  if (!key.ok()) {
    return InvalidArgument("key file " + path +
                           " does not hold a key: " + key.status().message());
  }
  return key;
}

Result<SecretKey> CreateKeyFile(const std::string& path) {
  // Step 1: a new random key and its hex form.
  TKS_ASSIGN_OR_RETURN(SecretKey key, SecretKey::Random());
  SecretString hex;
  hex.resize(kHexSize + 1);
  sodium_bin2hex(hex.data(), hex.size(), key.data(), SecretKey::kSize);
  hex[kHexSize] = '\n';

  // Step 2: create exclusively with 0600, write, and flush to disk.
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return InvalidArgument("key file " + path + " already exists");
    }
    return Internal("cannot create key file " + path + ": " +
                    std::strerror(errno));
  }
  const ssize_t written = ::write(fd, hex.data(), hex.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (written != static_cast<ssize_t>(hex.size()) || !synced) {
    ::unlink(path.c_str());
    return Internal("cannot write key file " + path);
  }
  return key;
}

PassphraseParams PassphraseParams::Generate() {
  PassphraseParams params;
  params.salt.resize(kSaltSize);
  randombytes_buf(params.salt.data(), params.salt.size());
  params.ops_limit = crypto_pwhash_OPSLIMIT_MODERATE;
  params.mem_limit = crypto_pwhash_MEMLIMIT_MODERATE;
  return params;
}

Result<SecretKey> RootKeyFromPassphrase(std::string_view passphrase,
                                        const PassphraseParams& params) {
  // Step 1: check inputs.
  if (passphrase.empty()) return InvalidArgument("passphrase is empty");
  if (params.salt.size() != PassphraseParams::kSaltSize) {
    return InvalidArgument("passphrase salt must be 16 bytes");
  }
  TKS_RETURN_IF_ERROR(InitSodium());

  // Step 2: Argon2id into wiping memory, then into guarded memory.
  SecretString bytes;
  bytes.resize(SecretKey::kSize);
  if (crypto_pwhash(reinterpret_cast<unsigned char*>(bytes.data()),
                    bytes.size(), passphrase.data(), passphrase.size(),
                    reinterpret_cast<const unsigned char*>(params.salt.data()),
                    params.ops_limit, params.mem_limit,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("Argon2id ran out of memory");
  }
  return SecretKey::FromBytes(bytes.view());
}

}  // namespace tks::crypto

// Store options in the C API: one setter per option of tks::Options.
#include <string>
#include <string_view>

#include "handles.h"
#include "tokenstore/crypto/secret.h"

extern "C" {

int tks_options_create(tks_options** out) {
  try {
    if (out == nullptr) return TKS_INVALID_ARGUMENT;
    *out = std::make_unique<tks_options>().release();
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

void tks_options_free(tks_options* options) {
  try {
    // The key and passphrase are wiped by their own destructors.
    delete options;
  } catch (...) {
    // Destructors do not throw; nothing to report from a void call.
  }
}

int tks_options_set_path(tks_options* options, const char* path) {
  try {
    if (options == nullptr || path == nullptr) return TKS_INVALID_ARGUMENT;
    options->options.path = path;
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

int tks_options_set_create_if_missing(tks_options* options, int create) {
  try {
    if (options == nullptr) return TKS_INVALID_ARGUMENT;
    options->options.create_if_missing = create != 0;
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

int tks_options_set_key_file(tks_options* options, const char* path) {
  try {
    if (options == nullptr || path == nullptr) return TKS_INVALID_ARGUMENT;
    options->options.root_key.key_file = path;
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

int tks_options_set_key_bytes(tks_options* options, const void* key,
                              size_t length) {
  try {
    // Step 1: exactly 32 bytes.
    if (options == nullptr || key == nullptr) return TKS_INVALID_ARGUMENT;
    if (length != tks::crypto::SecretKey::kSize) return TKS_INVALID_ARGUMENT;

    // Step 2: copy them into guarded memory.
    auto copied = tks::crypto::SecretKey::FromBytes(
        std::string_view(static_cast<const char*>(key), length));
    if (!copied.ok()) return static_cast<int>(copied.status().code());
    options->options.root_key.key =
        std::make_shared<const tks::crypto::SecretKey>(
            std::move(copied).value());
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

int tks_options_set_key_env(tks_options* options, const char* name) {
  try {
    if (options == nullptr || name == nullptr || *name == '\0') {
      return TKS_INVALID_ARGUMENT;
    }
    options->options.root_key.key_env = name;
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

int tks_options_set_passphrase(tks_options* options, const void* passphrase,
                               size_t length) {
  try {
    if (options == nullptr || passphrase == nullptr || length == 0) {
      return TKS_INVALID_ARGUMENT;
    }
    options->options.root_key.passphrase =
        std::make_shared<const tks::crypto::SecretString>(
            std::string_view(static_cast<const char*>(passphrase), length));
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

int tks_options_set_durability(tks_options* options, int durability) {
  try {
    if (options == nullptr) return TKS_INVALID_ARGUMENT;
    if (durability < TKS_DURABILITY_FULL ||
        durability > TKS_DURABILITY_NO_SYNC) {
      return TKS_INVALID_ARGUMENT;
    }
    options->options.durability = static_cast<tks::Durability>(durability);
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

int tks_options_set_ephemeral(tks_options* options, int ephemeral) {
  try {
    if (options == nullptr) return TKS_INVALID_ARGUMENT;
    options->options.ephemeral = ephemeral != 0;
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

int tks_options_set_map_size(tks_options* options, uint64_t initial_bytes,
                             uint64_t max_bytes) {
  try {
    // Step 1: a non-zero first size that fits size_t and the limit.
    if (options == nullptr || initial_bytes == 0) return TKS_INVALID_ARGUMENT;
    if (initial_bytes > SIZE_MAX || max_bytes > SIZE_MAX) {
      return TKS_INVALID_ARGUMENT;
    }
    if (max_bytes != 0 && max_bytes < initial_bytes) {
      return TKS_INVALID_ARGUMENT;
    }

    // Step 2: keep them.
    options->options.initial_map_size = static_cast<size_t>(initial_bytes);
    options->options.max_map_size = static_cast<size_t>(max_bytes);
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

int tks_options_set_log(tks_options* options, tks_log_fn log, void* context) {
  try {
    // Step 1: NULL turns logging off.
    if (options == nullptr) return TKS_INVALID_ARGUMENT;
    if (log == nullptr) {
      options->options.log = nullptr;
      return TKS_OK;
    }

    // Step 2: a sink that hands the host a NUL-terminated copy and never
    // lets an exception (out of memory) reach the engine.
    options->options.log = [log, context](tks::LogLevel level,
                                          std::string_view message) {
      try {
        const std::string text(message);
        log(context, static_cast<int>(level), text.c_str(), text.size());
      } catch (...) {
        // Out of memory while logging: the event is dropped.
      }
    };
    return TKS_OK;
  } catch (...) {
    return tks::api::CaughtException(nullptr);
  }
}

}  // extern "C"

"""Finds and loads libtks and declares the C signatures of tks.h.

The library is looked up in this order:

1. the path in the environment variable TKS_LIBRARY;
2. a libtks.so* next to this package (tokenstore/ or its parent);
3. a build tree holding this source tree (build*/api/libtks.so*);
4. the system loader ("libtks.so.0", as installed by cmake --install).
"""

import ctypes
import glob
import os

SOVERSION = 0

_here = os.path.dirname(os.path.abspath(__file__))


class TksError(ctypes.Structure):
    """Opaque tks_error."""


class TksToken(ctypes.Structure):
    """Opaque tks_token."""


class TksStore(ctypes.Structure):
    """Opaque tks_store."""


class TksOptions(ctypes.Structure):
    """Opaque tks_options."""


class TksIter(ctypes.Structure):
    """Opaque tks_iter."""


class TksStats(ctypes.Structure):
    """Mirror of struct tks_stats (fields are only ever appended)."""

    _fields_ = [
        ("record_count", ctypes.c_uint64),
        ("user_index_entries", ctypes.c_uint64),
        ("refresh_index_entries", ctypes.c_uint64),
        ("access_index_entries", ctypes.c_uint64),
        ("grant_index_entries", ctypes.c_uint64),
        ("expiry_index_entries", ctypes.c_uint64),
        ("id_index_entries", ctypes.c_uint64),
        ("lease_count", ctypes.c_uint64),
        ("file_size_bytes", ctypes.c_uint64),
        ("map_size_bytes", ctypes.c_uint64),
        ("map_used_bytes", ctypes.c_uint64),
        ("page_size", ctypes.c_uint64),
        ("next_id", ctypes.c_uint64),
        ("format_version", ctypes.c_uint32),
        ("active_data_key_id", ctypes.c_uint32),
    ]


P = ctypes.POINTER
ERR = P(P(TksError))
_int = ctypes.c_int
_u64 = ctypes.c_uint64
_size = ctypes.c_size_t
_str = ctypes.c_char_p
_buf = ctypes.c_void_p

# void (*tks_log_fn)(void* context, int level, const char* message,
#                    size_t length)
LOG_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int,
                          ctypes.c_char_p, ctypes.c_size_t)

# name: (result type, argument types)
_SIGNATURES = {
    "tks_version_string": (_str, []),
    "tks_version_number": (ctypes.c_uint32, []),
    "tks_format_version": (ctypes.c_uint32, []),
    "tks_code_name": (_str, [_int]),
    "tks_field_name": (_str, [_int]),
    "tks_error_code": (_int, [P(TksError)]),
    "tks_error_message": (_str, [P(TksError)]),
    "tks_error_free": (None, [P(TksError)]),
    "tks_token_create": (_int, [P(P(TksToken))]),
    "tks_token_free": (None, [P(TksToken)]),
    "tks_token_field_set": (_int, [P(TksToken), _int, _buf, _size]),
    "tks_token_field_get": (_int, [P(TksToken), _int, P(_buf), P(_size)]),
    "tks_token_field_clear": (_int, [P(TksToken), _int]),
    "tks_token_fields_get": (_int, [P(TksToken), P(P(ctypes.c_char)),
                                    P(_size)]),
    "tks_token_fields_set": (_int, [P(TksToken), P(_str), P(_size)]),
    "tks_token_id": (_str, [P(TksToken)]),
    "tks_token_generation": (_u64, [P(TksToken)]),
    "tks_token_updated_at": (_u64, [P(TksToken)]),
    "tks_options_create": (_int, [P(P(TksOptions))]),
    "tks_options_free": (None, [P(TksOptions)]),
    "tks_options_set_path": (_int, [P(TksOptions), _str]),
    "tks_options_set_create_if_missing": (_int, [P(TksOptions), _int]),
    "tks_options_set_key_file": (_int, [P(TksOptions), _str]),
    "tks_options_set_key_bytes": (_int, [P(TksOptions), _buf, _size]),
    "tks_options_set_key_env": (_int, [P(TksOptions), _str]),
    "tks_options_set_passphrase": (_int, [P(TksOptions), _buf, _size]),
    "tks_options_set_durability": (_int, [P(TksOptions), _int]),
    "tks_options_set_ephemeral": (_int, [P(TksOptions), _int]),
    "tks_options_set_map_size": (_int, [P(TksOptions), _u64, _u64]),
    "tks_options_set_log": (_int, [P(TksOptions), LOG_FN, _buf]),
    "tks_store_open": (_int, [P(TksOptions), P(P(TksStore)), ERR]),
    "tks_store_close": (None, [P(TksStore)]),
    "tks_store_path": (_str, [P(TksStore)]),
    "tks_store_find": (_int, [P(TksStore), P(TksToken), P(_int), ERR]),
    "tks_store_save": (_int, [P(TksStore), P(TksToken), ERR]),
    "tks_store_save_if": (_int, [P(TksStore), P(TksToken), _u64, ERR]),
    "tks_store_find_by_id": (_int, [P(TksStore), _str, P(P(TksToken)), ERR]),
    "tks_store_delete": (_int, [P(TksStore), _str, ERR]),
    "tks_store_delete_all": (_int, [P(TksStore), ERR]),
    "tks_store_delete_user": (_int, [P(TksStore), _buf, _size, P(_u64), ERR]),
    "tks_store_purge_expired": (_int, [P(TksStore), _u64, _u64, P(_u64), ERR]),
    "tks_store_lease_acquire": (_int, [P(TksStore), _str, _str, _u64, ERR]),
    "tks_store_lease_release": (_int, [P(TksStore), _str, _str, ERR]),
    "tks_store_stats": (_int, [P(TksStore), P(TksStats), _size, ERR]),
    "tks_iter_create": (_int, [P(TksStore), P(P(TksIter)), ERR]),
    "tks_iter_next": (_int, [P(TksIter), P(P(TksToken)), ERR]),
    "tks_iter_free": (None, [P(TksIter)]),
}


def _candidates():
    """Library paths to try, best first."""
    explicit = os.environ.get("TKS_LIBRARY")
    if explicit:
        return [explicit]
    found = []
    for folder in (_here, os.path.dirname(_here)):
        found += sorted(glob.glob(os.path.join(folder, "libtks.so*")))
    source_root = os.path.dirname(os.path.dirname(os.path.dirname(_here)))
    found += sorted(glob.glob(os.path.join(source_root, "build*", "api",
                                           "libtks.so.%d" % SOVERSION)))
    found.append("libtks.so.%d" % SOVERSION)
    return found


def _load():
    """The loaded library with its signatures declared."""
    errors = []
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
            break
        except OSError as error:
            errors.append(str(error))
    else:
        raise ImportError("cannot load libtks (set TKS_LIBRARY to its path): "
                          + "; ".join(errors))
    for name, (restype, argtypes) in _SIGNATURES.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


lib = _load()

"""tokenstore: an encrypted, embedded store of OAuth token records.

Pure standard library: the C library libtks is loaded with ctypes (see
tokenstore._lib for where it is looked up; TKS_LIBRARY overrides).

    import tokenstore
    with tokenstore.Store("/var/lib/app/tokens",
                          key_file="/etc/app/tokens.key") as store:
        token = tokenstore.Token(user_name="me@example.com:123",
                                 refresh_token="1000.abc.def")
        store.save(token)            # token.id is now set
        found = store.find(tokenstore.Token(user_name="me@example.com:123"))

For the Zoho CRM Python SDK, see tokenstore.zoho.ZohoTokenStore.
"""

from ._lib import lib as _lib
from .errors import (ConflictError, CorruptError, InternalError,
                     InvalidArgumentError, IoFatalError, LeaseHeldError,
                     MapFullError, NotFoundError, ReadersFullError,
                     TokenStoreError, UnsupportedFsError, UsedAfterForkError,
                     VersionError, WrongKeyError)
from .store import Store
from .token import FIELDS, Token

__version__ = _lib.tks_version_string().decode()
FORMAT_VERSION = _lib.tks_format_version()


def code_name(code):
    """The name of a tks.h status code, e.g. "NOT_FOUND"."""
    return _lib.tks_code_name(code).decode()


__all__ = [
    "ConflictError", "CorruptError", "FIELDS", "FORMAT_VERSION",
    "InternalError", "InvalidArgumentError", "IoFatalError",
    "LeaseHeldError", "MapFullError", "NotFoundError", "ReadersFullError",
    "Store", "Token", "TokenStoreError", "UnsupportedFsError",
    "UsedAfterForkError", "VersionError", "WrongKeyError", "code_name",
]

"""One exception class per tokenstore status code (DESIGN §7)."""


class TokenStoreError(Exception):
    """A failed tokenstore call. `code` is the integer of tks.h, `name`
    its name (e.g. "NOT_FOUND"). Messages never hold a secret."""

    code = None
    name = None

    def __init__(self, message="", code=None):
        super().__init__(message)
        if code is not None:
            self.code = code


class NotFoundError(TokenStoreError):
    code, name = 1, "NOT_FOUND"


class InvalidArgumentError(TokenStoreError, ValueError):
    code, name = 2, "INVALID_ARGUMENT"


class ConflictError(TokenStoreError):
    code, name = 3, "CONFLICT"


class WrongKeyError(TokenStoreError):
    code, name = 4, "WRONG_KEY"


class CorruptError(TokenStoreError):
    code, name = 5, "CORRUPT"


class VersionError(TokenStoreError):
    code, name = 6, "VERSION"


class MapFullError(TokenStoreError):
    code, name = 7, "MAP_FULL"


class ReadersFullError(TokenStoreError):
    code, name = 8, "READERS_FULL"


class IoFatalError(TokenStoreError):
    code, name = 9, "IO_FATAL"


class LeaseHeldError(TokenStoreError):
    code, name = 10, "LEASE_HELD"


class UsedAfterForkError(TokenStoreError):
    code, name = 11, "USED_AFTER_FORK"


class UnsupportedFsError(TokenStoreError):
    code, name = 12, "UNSUPPORTED_FS"


class InternalError(TokenStoreError):
    code, name = 13, "INTERNAL"


BY_CODE = {cls.code: cls for cls in (
    NotFoundError, InvalidArgumentError, ConflictError, WrongKeyError,
    CorruptError, VersionError, MapFullError, ReadersFullError,
    IoFatalError, LeaseHeldError, UsedAfterForkError, UnsupportedFsError,
    InternalError)}


def error_for(code, message):
    """The exception for a status code; InternalError for an unknown one."""
    cls = BY_CODE.get(code, InternalError)
    return cls(message or cls.name or "unknown status %d" % code, code)

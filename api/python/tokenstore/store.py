"""Store: a Pythonic wrapper of the tks_store C API.

Thread safety: one Store may be used from many threads (the C calls run
without the GIL); Token objects are not shared. Several processes may
open one store directory.
"""

import ctypes
import os

from . import errors
from ._lib import LOG_FN, lib, P, TksError, TksIter, TksOptions, TksStats
from ._lib import TksStore, TksToken
from .token import FIELDS, Token, decode, encode

DURABILITY = {"full": 0, "nometasync": 1, "nosync": 2}


def _raise_for(code, error):
    """Raises the exception of `code` with the message of `error`, which
    this frees."""
    message = ""
    if error:
        message = lib.tks_error_message(error).decode("utf-8", "replace")
        lib.tks_error_free(error)
    raise errors.error_for(code, message)


def _call(function, *args):
    """Calls a tks_* function whose last argument is tks_error**."""
    error = P(TksError)()
    code = function(*args, ctypes.byref(error))
    if code != 0:
        _raise_for(code, error)


def _check(code, what):
    """Raises for a non-zero code of a call without an error object."""
    if code != 0:
        raise errors.error_for(code, what)


# Arrays of the ten fields for tks_token_fields_set / _get.
_FieldPointers = ctypes.c_char_p * len(FIELDS)
_FieldData = P(ctypes.c_char) * len(FIELDS)
_FieldLengths = ctypes.c_size_t * len(FIELDS)


class _CToken:
    """Owns one tks_token for the length of a with block."""

    def __init__(self, token=None):
        self.handle = P(TksToken)()
        _check(lib.tks_token_create(ctypes.byref(self.handle)),
               "cannot create a token")
        if token is None:
            return
        try:
            self.fill(token)
        except BaseException:
            # No with block will release it: free it here.
            lib.tks_token_free(self.handle)
            self.handle = None
            raise

    @classmethod
    def adopt(cls, handle):
        """Takes ownership of a tks_token the library handed out."""
        c_token = cls.__new__(cls)
        c_token.handle = handle
        return c_token

    def fill(self, token):
        """Copies the ten fields of a Token into the C token, in one call
        (each foreign call costs microseconds)."""
        raws = [encode(getattr(token, name)) for name in FIELDS]
        data = _FieldPointers(*raws)
        lengths = _FieldLengths(*(0 if raw is None else len(raw)
                                  for raw in raws))
        if lib.tks_token_fields_set(self.handle, data, lengths) != 0:
            self._raise_for_bad_field(raws)

    def _raise_for_bad_field(self, raws):
        """Names the field the C library refused (slow path)."""
        for number, raw in enumerate(raws):
            if raw is not None and lib.tks_token_field_set(
                    self.handle, number, raw, len(raw)) != 0:
                raise errors.InvalidArgumentError(
                    "field %s: bad value or over its size limit"
                    % FIELDS[number])
        raise errors.InvalidArgumentError("cannot set the token's fields")

    def read(self, token=None):
        """The C token's fields and metadata as a Token (or into one)."""
        token = Token() if token is None else token
        data = _FieldData()
        lengths = _FieldLengths()
        _check(lib.tks_token_fields_get(self.handle, data, lengths),
               "cannot read the token's fields")
        for number, name in enumerate(FIELDS):
            pointer = data[number]
            raw = pointer[:lengths[number]] if pointer else None
            setattr(token, name, decode(raw))
        token.generation = lib.tks_token_generation(self.handle)
        token.updated_at = lib.tks_token_updated_at(self.handle)
        return token

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        lib.tks_token_free(self.handle)
        self.handle = None


class Store:
    """An open token store; a context manager that closes it on exit.

    Exactly one root key source is needed: key_file (made by `tks init`),
    key (32 raw bytes), key_env (name of an environment variable holding
    64 hex characters) or passphrase (str or bytes). An ephemeral store
    lives in a private temporary directory deleted on close, with a random
    key unless one is given. durability is "full" (default), "nometasync"
    or "nosync". Raises the TokenStoreError subclass of the failure, e.g.
    WrongKeyError.

    log, if given, is called as log(level, message) with the store's
    lifecycle events (level 0 debug to 3 error; messages never hold a
    secret), possibly from several threads; its exceptions are dropped.
    """

    def __init__(self, path=None, *, key_file=None, key=None, key_env=None,
                 passphrase=None, durability="full", ephemeral=False,
                 map_size=None, max_map_size=0, create_if_missing=True,
                 log=None):
        self._handle = None
        # Kept as long as this object: the C store calls it until closed.
        self._log_callback = None if log is None else _log_trampoline(log)
        options = P(TksOptions)()
        _check(lib.tks_options_create(ctypes.byref(options)),
               "cannot create options")
        try:
            self._configure(options, path, key_file, key, key_env,
                            passphrase, durability, ephemeral, map_size,
                            max_map_size, create_if_missing)
            if self._log_callback is not None:
                _check(lib.tks_options_set_log(options, self._log_callback,
                                               None), "log")
            handle = P(TksStore)()
            _call(lib.tks_store_open, options, ctypes.byref(handle))
            self._handle = handle
        finally:
            lib.tks_options_free(options)

    @staticmethod
    def _configure(options, path, key_file, key, key_env, passphrase,
                   durability, ephemeral, map_size, max_map_size,
                   create_if_missing):
        """Copies the keyword arguments into a tks_options."""
        if path is not None:
            _check(lib.tks_options_set_path(options, _path(path)), "path")
        if key_file is not None:
            _check(lib.tks_options_set_key_file(options, _path(key_file)),
                   "key_file")
        if key is not None:
            _check(lib.tks_options_set_key_bytes(options, bytes(key),
                                                 len(key)),
                   "key must be exactly 32 bytes")
        if key_env is not None:
            _check(lib.tks_options_set_key_env(options, key_env.encode()),
                   "key_env")
        if passphrase is not None:
            raw = encode(passphrase)
            _check(lib.tks_options_set_passphrase(options, raw, len(raw)),
                   "passphrase must not be empty")
        if durability not in DURABILITY:
            raise errors.InvalidArgumentError(
                "durability must be one of %s" % ", ".join(DURABILITY))
        _check(lib.tks_options_set_durability(options,
                                              DURABILITY[durability]),
               "durability")
        _check(lib.tks_options_set_ephemeral(options, int(bool(ephemeral))),
               "ephemeral")
        if map_size is not None:
            _check(lib.tks_options_set_map_size(options, map_size,
                                                max_map_size),
                   "map_size must be positive and at most max_map_size")
        _check(lib.tks_options_set_create_if_missing(
            options, int(bool(create_if_missing))), "create_if_missing")

    # --- lifetime ---

    def close(self):
        """Closes the store; safe to call twice."""
        if self._handle is not None:
            lib.tks_store_close(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    @property
    def closed(self):
        return self._handle is None

    @property
    def path(self):
        """The store directory (the temporary one of an ephemeral store)."""
        return lib.tks_store_path(self._open()).decode(
            "utf-8", "surrogateescape")

    def _open(self):
        if self._handle is None:
            raise errors.InvalidArgumentError("the store is closed")
        return self._handle

    # --- the TokenStore calls ---

    def find(self, query):
        """Finds the record matching `query` (DESIGN §3.1). On a hit the
        query itself is filled (its None fields from the record; its own
        values win), gets the record's id and generation, and is returned;
        None on a miss (the query is unchanged)."""
        found = ctypes.c_int()
        with _CToken(query) as c_token:
            _call(lib.tks_store_find, self._open(), c_token.handle,
                  ctypes.byref(found))
            if not found.value:
                return None
            return c_token.read(query)

    def find_by_id(self, token_id):
        """The record with that id as a new Token; NotFoundError if none."""
        handle = P(TksToken)()
        _call(lib.tks_store_find_by_id, self._open(), _id(token_id),
              ctypes.byref(handle))
        with _CToken.adopt(handle) as c_token:
            return c_token.read()

    def save(self, token):
        """Upsert (DESIGN §3.2). Writes the id, generation and update time
        back into `token` and returns the id. NotFoundError for an id no
        record has; ConflictError when a token value belongs to another
        record; InvalidArgumentError for limits or no token value."""
        with _CToken(token) as c_token:
            _call(lib.tks_store_save, self._open(), c_token.handle)
            return self._write_back(c_token, token)

    def save_if(self, token, expected_generation):
        """save(), but ConflictError unless the stored generation equals
        expected_generation (0: only if the save inserts)."""
        with _CToken(token) as c_token:
            _call(lib.tks_store_save_if, self._open(), c_token.handle,
                  expected_generation)
            return self._write_back(c_token, token)

    @staticmethod
    def _write_back(c_token, token):
        token.id = decode(lib.tks_token_id(c_token.handle))
        token.generation = lib.tks_token_generation(c_token.handle)
        token.updated_at = lib.tks_token_updated_at(c_token.handle)
        return token.id

    def delete(self, token_id):
        """Removes the record; NotFoundError if there is none."""
        _call(lib.tks_store_delete, self._open(), _id(token_id))

    def delete_all(self):
        """Removes every record, in one transaction."""
        _call(lib.tks_store_delete_all, self._open())

    def delete_user(self, user_name):
        """Removes every record of a user; returns how many."""
        raw = encode(user_name)
        deleted = ctypes.c_uint64()
        _call(lib.tks_store_delete_user, self._open(), raw, len(raw),
              ctypes.byref(deleted))
        return deleted.value

    def purge_expired(self, before_ms, limit=1000):
        """Removes up to `limit` records that expire before `before_ms`;
        returns how many (call again while it equals limit)."""
        deleted = ctypes.c_uint64()
        _call(lib.tks_store_purge_expired, self._open(), before_ms, limit,
              ctypes.byref(deleted))
        return deleted.value

    def __iter__(self):
        """Every record in insertion order, streamed (no snapshot between
        records)."""
        handle = P(TksIter)()
        _call(lib.tks_iter_create, self._open(), ctypes.byref(handle))
        try:
            while True:
                token = P(TksToken)()
                _call(lib.tks_iter_next, handle, ctypes.byref(token))
                if not token:
                    return
                with _CToken.adopt(token) as c_token:
                    record = c_token.read()
                yield record
        finally:
            lib.tks_iter_free(handle)

    def tokens(self):
        """Every record in insertion order, as a list."""
        return list(self)

    # --- beyond the SDK interface ---

    def acquire_lease(self, token_id, holder, ttl_ms):
        """Takes or renews the refresh lease of a record for `holder`.
        LeaseHeldError if another holder has it."""
        _call(lib.tks_store_lease_acquire, self._open(), _id(token_id),
              holder.encode(), ttl_ms)

    def release_lease(self, token_id, holder):
        """Releases the lease if `holder` has it; NotFoundError if not."""
        _call(lib.tks_store_lease_release, self._open(), _id(token_id),
              holder.encode())

    def stats(self):
        """Record count, index sizes, file size, map use and format."""
        stats = TksStats()
        _call(lib.tks_store_stats, self._open(), ctypes.byref(stats),
              ctypes.sizeof(stats))
        return {name: getattr(stats, name) for name, _ in stats._fields_}


def _log_trampoline(log):
    """A C log sink calling log(level, message); exceptions are dropped
    so that none unwinds through the C library."""

    def call(_context, level, message, length):
        try:
            log(level, message[:length].decode("utf-8", "replace"))
        except Exception:  # The host's sink failed: drop the event.
            pass

    return LOG_FN(call)


def _path(path):
    """A path as bytes for the C API."""
    return os.fsencode(path)


def _id(token_id):
    """A record id as bytes; ids are printable ASCII."""
    if isinstance(token_id, bytes):
        return token_id
    if not isinstance(token_id, str):
        raise errors.InvalidArgumentError("a record id is a str")
    return token_id.encode("ascii", "surrogateescape")

"""ZohoTokenStore: tokenstore behind the Zoho CRM Python SDK's TokenStore.

The one-line switch in an SDK program:

    from tokenstore.zoho import ZohoTokenStore
    store = ZohoTokenStore("/var/lib/app/zoho-tokens",
                           key_file="/etc/app/tokens.key")
    # instead of: store = FileStore(file_path="/var/lib/app/tokens.txt")
    Initializer.initialize(environment=..., token=..., store=store)

It works on the SDK's own OAuthToken objects: values are read with their
get_* methods (the user name through get_user_signature().get_name(), the
expiry through get_expires_in()) and written with their set_* methods.
The matching and upsert rules are those of DESIGN §3. When the SDK is
importable the class subclasses its TokenStore and raises its SDKException
(code "TOKEN_STORE", the tokenstore error chained as __cause__); without
the SDK the module still works, with plain token classes and tokenstore's
own exceptions.

Thread safety: one ZohoTokenStore may be used from many threads; several
processes may open one store directory, each with its own ZohoTokenStore
(one opened before fork() raises UsedAfterForkError in the child).
"""

import importlib
import types

from .errors import TokenStoreError
from .store import Store
from .token import Token


# The SDK's TokenStore methods this class implements.
_INTERFACE = ("find_token", "save_token", "delete_token", "get_tokens",
              "delete_tokens", "find_token_by_id")


def _import_sdk():
    """The SDK classes this module uses, or None without an SDK whose
    TokenStore has this interface (older zcrmsdk releases had get_token
    and get_token_by_id instead; they are not supported)."""
    for root in ("zohocrmsdk", "zcrmsdk"):
        try:
            base = root + ".src.com.zoho."
            sdk = types.SimpleNamespace(
                TokenStore=importlib.import_module(
                    base + "api.authenticator.store.token_store").TokenStore,
                OAuthToken=importlib.import_module(
                    base + "api.authenticator.oauth_token").OAuthToken,
                UserSignature=importlib.import_module(
                    base + "crm.api.user_signature").UserSignature,
                SDKException=importlib.import_module(
                    base + "crm.api.exception.sdk_exception").SDKException)
        except Exception:  # Missing, or failing its own imports.
            continue
        if all(hasattr(sdk.TokenStore, name) for name in _INTERFACE):
            return sdk
    return None


SDK = _import_sdk()


class PlainUserSignature:
    """Stands in for the SDK's UserSignature when the SDK is absent."""

    def __init__(self, name):
        self._name = name

    def get_name(self):
        return self._name


class PlainOAuthToken:
    """Stands in for the SDK's OAuthToken when the SDK is absent: the same
    constructor keywords, getters and setters, without the OAuth flows."""

    def __init__(self, client_id=None, client_secret=None, grant_token=None,
                 refresh_token=None, redirect_url=None, id=None,
                 access_token=None, user_signature=None, api_domain=None):
        self._values = {
            "client_id": client_id, "client_secret": client_secret,
            "grant_token": grant_token, "refresh_token": refresh_token,
            "redirect_url": redirect_url, "id": id,
            "access_token": access_token, "user_signature": user_signature,
            "api_domain": api_domain, "expires_in": None}

    def __getattr__(self, name):
        # get_<x>() and set_<x>(value) for every value above.
        values = self.__dict__.get("_values", {})
        kind, _, key = name.partition("_")
        if key in values and kind == "get":
            return lambda: values[key]
        if key in values and kind == "set":
            return lambda value: values.__setitem__(key, value)
        raise AttributeError(name)


# (record field, getter, setter) of every field but the user name, which
# lives in the token's UserSignature.
_ACCESSORS = (
    ("id", "get_id", "set_id"),
    ("client_id", "get_client_id", "set_client_id"),
    ("client_secret", "get_client_secret", "set_client_secret"),
    ("refresh_token", "get_refresh_token", "set_refresh_token"),
    ("access_token", "get_access_token", "set_access_token"),
    ("grant_token", "get_grant_token", "set_grant_token"),
    ("expiry_time", "get_expires_in", "set_expires_in"),
    ("redirect_url", "get_redirect_url", "set_redirect_url"),
    ("api_domain", "get_api_domain", "set_api_domain"),
)


def _text(value):
    """A value read from an SDK object as str, bytes or None."""
    if value is None or isinstance(value, (str, bytes)):
        return value
    return str(value)


def _get(oauth_token, getter):
    """oauth_token.getter(), or None when the object has no such getter."""
    method = getattr(oauth_token, getter, None)
    return None if method is None else method()


def _is_oauth_token(token):
    """Duck-typed check for an OAuthToken (or a test double of one)."""
    return all(callable(getattr(token, name, None))
               for name in ("get_access_token", "get_user_signature",
                            "set_id"))


_Base = SDK.TokenStore if SDK is not None else object


class ZohoTokenStore(_Base):
    """The Zoho SDK TokenStore interface on a tokenstore Store.

    path and the key arguments are those of tokenstore.Store. token_class
    and user_signature_class build the objects find_token_by_id and
    get_tokens return (default: the SDK's OAuthToken and UserSignature,
    or plain stand-ins without the SDK).
    """

    def __init__(self, path, key_file=None, *, key=None, key_env=None,
                 passphrase=None, durability="full", token_class=None,
                 user_signature_class=None):
        self._store = Store(path, key_file=key_file, key=key,
                            key_env=key_env, passphrase=passphrase,
                            durability=durability)
        self._token_class = token_class or (
            SDK.OAuthToken if SDK is not None else PlainOAuthToken)
        self._signature_class = user_signature_class or (
            SDK.UserSignature if SDK is not None else PlainUserSignature)

    @property
    def store(self):
        """The underlying tokenstore.Store (leases, purge, stats)."""
        return self._store

    def close(self):
        self._store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- the SDK's TokenStore interface ---

    def find_token(self, token):
        """Fills the None fields of `token` from the matching record and
        returns that same object; None when nothing matches. A token that
        is not an OAuthToken is returned as it is, like FileStore does."""
        if not _is_oauth_token(token):
            return token
        found = self._call(self._store.find, self._record_of(token))
        if found is None:
            return None
        self._fill_missing(token, found)
        return token

    def save_token(self, token):
        """Upserts the token (DESIGN §3.2) and writes its id back with
        set_id. Other objects are ignored, like FileStore does."""
        if not _is_oauth_token(token):
            return
        record = self._record_of(token)
        self._call(self._store.save, record)
        token.set_id(record.id)

    def delete_token(self, id):
        """Deletes the record; raises if no record has that id."""
        self._call(self._store.delete, id)

    def get_tokens(self):
        """Every record as a new token object, in insertion order."""
        return [self._token_of(record)
                for record in self._call(self._store.tokens)]

    def delete_tokens(self):
        """Deletes every record."""
        self._call(self._store.delete_all)

    def find_token_by_id(self, id):
        """The record as a new token object; raises if there is none (the
        SDK relies on an error here)."""
        return self._token_of(self._call(self._store.find_by_id, id))

    # --- conversions between SDK objects and records ---

    @staticmethod
    def _record_of(oauth_token):
        """A tokenstore Token holding the values of an SDK token."""
        record = Token()
        for field, getter, _ in _ACCESSORS:
            setattr(record, field, _text(_get(oauth_token, getter)))
        signature = oauth_token.get_user_signature()
        if signature is not None:
            record.user_name = _text(signature.get_name())
        return record

    def _fill_missing(self, oauth_token, record):
        """Sets the SDK token's None fields from a record."""
        for field, getter, setter in _ACCESSORS:
            value = getattr(record, field)
            if value is not None and _get(oauth_token, getter) is None:
                getattr(oauth_token, setter)(value)
        if (record.user_name is not None
                and oauth_token.get_user_signature() is None):
            oauth_token.set_user_signature(
                self._signature_class(record.user_name))

    def _token_of(self, record):
        """A new SDK token built with its own constructor from a record,
        so it is as complete as one the SDK made itself."""
        signature = None
        if record.user_name is not None:
            signature = self._signature_class(record.user_name)
        token = self._token_class(
            client_id=record.client_id, client_secret=record.client_secret,
            grant_token=record.grant_token,
            refresh_token=record.refresh_token,
            redirect_url=record.redirect_url, id=record.id,
            access_token=record.access_token, user_signature=signature,
            api_domain=record.api_domain)
        if record.expiry_time is not None:
            token.set_expires_in(record.expiry_time)
        return token

    @staticmethod
    def _call(function, *args):
        """Runs a Store call; with the SDK, errors become SDKException."""
        try:
            return function(*args)
        except TokenStoreError as error:
            if SDK is None:
                raise
            raise SDK.SDKException(
                code="TOKEN_STORE",
                message="%s: %s" % (error.name, error)) from error

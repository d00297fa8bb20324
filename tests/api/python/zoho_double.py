"""A test double of the Zoho SDK's OAuthToken, UserSignature, TokenStore
and SDKException. It mirrors their public constructors, getters and
setters (and the private attributes the SDK's own code touches), without
the network flows."""


class SDKException(Exception):
    """Mirrors the SDK's exception: code, message, details, cause."""

    def __init__(self, code=None, message=None, details=None, cause=None):
        super().__init__(code, message)
        self.code = code
        self.cause = cause
        self.details = details
        self.error_message = "" if message is None else message


class TokenStore:
    """Mirrors the SDK's abstract TokenStore (six methods)."""

    def find_token(self, token):
        raise NotImplementedError

    def save_token(self, token):
        raise NotImplementedError

    def delete_token(self, id):
        raise NotImplementedError

    def get_tokens(self):
        raise NotImplementedError

    def delete_tokens(self):
        raise NotImplementedError

    def find_token_by_id(self, id):
        raise NotImplementedError


class UserSignature:
    """Mirrors the SDK's UserSignature(name) with get_name()."""

    def __init__(self, name):
        self.__name = name

    def get_name(self):
        return self.__name


class OAuthToken:
    """Mirrors the SDK's OAuthToken constructor checks and accessors."""

    def __init__(self, client_id=None, client_secret=None, grant_token=None,
                 refresh_token=None, redirect_url=None, id=None,
                 access_token=None, user_signature=None, api_domain=None,
                 find_user=True):
        # The SDK refuses a token with nothing to find it by.
        if (grant_token is None and refresh_token is None and id is None
                and access_token is None and user_signature is None):
            raise SDKException("MANDATORY VALUE ERROR", "no token values")

        # Without id, access token or user, client credentials are strings.
        if id is None and access_token is None and user_signature is None:
            for name, value in (("client_id", client_id),
                                ("client_secret", client_secret)):
                if not isinstance(value, str):
                    raise SDKException("TOKEN_ERROR", name + " not a str")
        if id is not None and not isinstance(id, str):
            raise SDKException("TOKEN_ERROR", "id not a str")
        if (user_signature is not None
                and not isinstance(user_signature, UserSignature)):
            raise SDKException("TOKEN_ERROR", "user_signature type")

        self.__client_id = client_id
        self.__client_secret = client_secret
        self.__redirect_url = redirect_url
        self.__grant_token = grant_token
        self.__refresh_token = refresh_token
        self.__id = id
        self.__access_token = access_token
        self.__expires_in = None
        self.__user_signature = user_signature
        self.__api_domain = api_domain
        self.__find_user = find_user

    def get_client_id(self):
        return self.__client_id

    def get_client_secret(self):
        return self.__client_secret

    def get_redirect_url(self):
        return self.__redirect_url

    def get_grant_token(self):
        return self.__grant_token

    def get_refresh_token(self):
        return self.__refresh_token

    def get_access_token(self):
        return self.__access_token

    def get_id(self):
        return self.__id

    def get_expires_in(self):
        return self.__expires_in

    def get_user_signature(self):
        return self.__user_signature

    def get_api_domain(self):
        return self.__api_domain

    def set_grant_token(self, grant_token):
        self.__grant_token = grant_token

    def set_refresh_token(self, refresh_token):
        self.__refresh_token = refresh_token

    def set_redirect_url(self, redirect_url):
        self.__redirect_url = redirect_url

    def set_access_token(self, access_token):
        self.__access_token = access_token

    def set_client_id(self, client_id):
        self.__client_id = client_id

    def set_client_secret(self, client_secret):
        self.__client_secret = client_secret

    def set_id(self, id):
        self.__id = id

    def set_expires_in(self, expires_in):
        self.__expires_in = expires_in

    def set_user_signature(self, user_signature):
        self.__user_signature = user_signature

    def set_api_domain(self, api_domain):
        self.__api_domain = api_domain

    def find_user_flag(self):
        """What the SDK's get_token reads as oauth_token.__find_user."""
        return self.__find_user

"""tokenstore.zoho.ZohoTokenStore driven as the Zoho SDK drives it,
through a test double of the SDK's OAuthToken and UserSignature."""

import importlib
import os
import subprocess
import sys
import types
import unittest

import tokenstore
import tokenstore.zoho
from tokenstore.zoho import ZohoTokenStore

import zoho_double
from support import TempDir
from zoho_double import OAuthToken, UserSignature

HERE = os.path.dirname(os.path.abspath(__file__))
USER = "me@example.com:20050000"


def granted_token():
    """What the SDK holds after exchanging a grant token: credentials,
    grant, the new access and refresh tokens, expiry and the user."""
    token = OAuthToken(client_id="1000.CLIENT", client_secret="s3cr3t",
                       grant_token="1000.grant.one",
                       redirect_url="https://example.com/cb")
    token.set_access_token("1000.access.one")
    token.set_refresh_token("1000.refresh.one")
    token.set_expires_in("1700000000000")
    token.set_api_domain("https://www.zohoapis.com")
    token.set_user_signature(UserSignature(USER))
    return token


class ZohoTest(unittest.TestCase):

    def setUp(self):
        self.dir = TempDir()
        self.zoho = self.open_store()

    def tearDown(self):
        self.zoho.close()
        self.dir.remove()

    def open_store(self):
        return ZohoTokenStore(self.dir.sub("store"),
                              key_file=self.dir.key_file(),
                              durability="nosync", token_class=OAuthToken,
                              user_signature_class=UserSignature)

    def test_grant_flow_save_then_find_by_grant(self):
        # The SDK finds nothing for a new grant token, then saves.
        first = OAuthToken(client_id="1000.CLIENT", client_secret="s3cr3t",
                           grant_token="1000.grant.one")
        self.assertIsNone(self.zoho.find_token(first))
        self.zoho.save_token(granted_token())

        # A later run with the same grant token finds the stored tokens.
        again = OAuthToken(client_id="1000.CLIENT", client_secret="s3cr3t",
                           grant_token="1000.grant.one")
        self.assertIs(self.zoho.find_token(again), again)
        self.assertEqual(again.get_refresh_token(), "1000.refresh.one")
        self.assertEqual(again.get_access_token(), "1000.access.one")
        self.assertEqual(again.get_expires_in(), "1700000000000")
        self.assertEqual(again.get_user_signature().get_name(), USER)
        self.assertEqual(again.get_id(), "1")

    def test_refresh_flow_updates_the_same_record(self):
        self.zoho.save_token(granted_token())

        # Found by refresh token and client credentials, refreshed, saved.
        token = OAuthToken(client_id="1000.CLIENT", client_secret="s3cr3t",
                           refresh_token="1000.refresh.one")
        self.zoho.find_token(token)
        self.assertEqual(token.get_id(), "1")
        token.set_access_token("1000.access.two")
        token.set_expires_in("1700003600000")
        self.zoho.save_token(token)

        # One record, holding the new access token.
        self.assertEqual(len(self.zoho.get_tokens()), 1)
        stored = self.zoho.find_token_by_id("1")
        self.assertEqual(stored.get_access_token(), "1000.access.two")
        self.assertEqual(stored.get_expires_in(), "1700003600000")
        self.assertEqual(self.zoho.store.find_by_id("1").generation, 2)

    def test_find_by_user(self):
        self.zoho.save_token(granted_token())
        token = OAuthToken(user_signature=UserSignature(USER))
        self.assertIs(self.zoho.find_token(token), token)
        self.assertEqual(token.get_client_id(), "1000.CLIENT")
        self.assertEqual(token.get_refresh_token(), "1000.refresh.one")
        unknown = OAuthToken(user_signature=UserSignature("other:1"))
        self.assertIsNone(self.zoho.find_token(unknown))

    def test_find_by_access_token_without_client_credentials(self):
        self.zoho.save_token(granted_token())
        token = OAuthToken(access_token="1000.access.one")
        self.assertIs(self.zoho.find_token(token), token)
        self.assertEqual(token.get_user_signature().get_name(), USER)

        # With client credentials the access token rule does not apply.
        gated = OAuthToken(client_id="1000.CLIENT", client_secret="s3cr3t",
                           access_token="1000.access.one")
        self.assertIsNone(self.zoho.find_token(gated))

    def test_merge_keeps_caller_values(self):
        self.zoho.save_token(granted_token())
        token = OAuthToken(user_signature=UserSignature(USER),
                           api_domain="https://www.zohoapis.eu")
        token.set_client_id("1000.MINE")
        self.zoho.find_token(token)
        self.assertEqual(token.get_api_domain(), "https://www.zohoapis.eu")
        self.assertEqual(token.get_client_id(), "1000.MINE")
        self.assertEqual(token.get_client_secret(), "s3cr3t")

    def test_id_written_back_on_insert(self):
        token = granted_token()
        self.assertIsNone(token.get_id())
        self.zoho.save_token(token)
        self.assertEqual(token.get_id(), "1")
        second = OAuthToken(access_token="1000.access.b",
                            user_signature=UserSignature("b:1"))
        self.zoho.save_token(second)
        self.assertEqual(second.get_id(), "2")

    def test_find_by_id_miss_raises(self):
        with self.assertRaises(tokenstore.NotFoundError):
            self.zoho.find_token_by_id("404")

    def test_get_tokens_objects_usable(self):
        self.zoho.save_token(granted_token())
        self.zoho.save_token(OAuthToken(access_token="1000.access.b",
                                        user_signature=UserSignature("b:1")))
        tokens = self.zoho.get_tokens()
        self.assertEqual([t.get_id() for t in tokens], ["1", "2"])

        # Built by the constructor: every accessor and private field works.
        first = tokens[0]
        self.assertIsInstance(first, OAuthToken)
        self.assertEqual(first.get_user_signature().get_name(), USER)
        self.assertEqual(first.get_grant_token(), "1000.grant.one")
        self.assertEqual(first.get_redirect_url(), "https://example.com/cb")
        self.assertEqual(first.get_expires_in(), "1700000000000")
        self.assertTrue(first.find_user_flag())

        # The SDK can save it again after a refresh.
        first.set_access_token("1000.access.refreshed")
        self.zoho.save_token(first)
        self.assertEqual(
            self.zoho.find_token_by_id("1").get_access_token(),
            "1000.access.refreshed")

    def test_delete_token(self):
        self.zoho.save_token(granted_token())
        self.zoho.delete_token("1")
        with self.assertRaises(tokenstore.NotFoundError):
            self.zoho.find_token_by_id("1")
        with self.assertRaises(tokenstore.NotFoundError):
            self.zoho.delete_token("1")

        # A late save of the deleted token does not bring it back.
        stale = granted_token()
        stale.set_id("1")
        with self.assertRaises(tokenstore.NotFoundError):
            self.zoho.save_token(stale)

    def test_delete_tokens(self):
        self.zoho.save_token(granted_token())
        self.zoho.save_token(OAuthToken(access_token="1000.access.b",
                                        user_signature=UserSignature("b:1")))
        self.zoho.delete_tokens()
        self.assertEqual(self.zoho.get_tokens(), [])

    def test_other_objects_pass_through(self):
        plain = object()
        self.assertIs(self.zoho.find_token(plain), plain)
        self.assertIsNone(self.zoho.save_token(plain))

    def test_two_processes_saving_at_once(self):
        # A shared record whose counter both workers bump with CAS saves.
        shared = OAuthToken(access_token="1000.access.shared",
                            user_signature=UserSignature(
                                "shared@example.com:1"),
                            api_domain="0")
        self.zoho.save_token(shared)
        self.zoho.close()

        # Two processes, released together by the go file.
        count = 25
        go_file = self.dir.sub("go")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [HERE] + [p for p in sys.path if p])
        workers = [subprocess.Popen(
            [sys.executable, os.path.join(HERE, "save_worker.py"),
             self.dir.sub("store"), self.dir.key_file(), name, str(count),
             go_file], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT) for name in ("w1", "w2")]
        open(go_file, "w").close()
        for worker in workers:
            output, _ = worker.communicate(timeout=240)
            self.assertEqual(worker.returncode, 0, output.decode())

        # Every insert landed with its own id; no increment was lost.
        self.zoho = self.open_store()
        tokens = self.zoho.get_tokens()
        ids = [t.get_id() for t in tokens]
        self.assertEqual(len(tokens), 1 + 2 * count)
        self.assertEqual(len(set(ids)), len(ids))
        final = self.zoho.store.find_by_id("1")
        self.assertEqual(final.api_domain, str(2 * count))
        self.assertEqual(final.generation, 1 + 2 * count)


class WithSdkTest(unittest.TestCase):
    """With an importable SDK (the double installed under the SDK's module
    names), the class subclasses its TokenStore and raises SDKException."""

    MODULES = {
        "zohocrmsdk.src.com.zoho.api.authenticator.store.token_store":
            ("TokenStore",),
        "zohocrmsdk.src.com.zoho.api.authenticator.oauth_token":
            ("OAuthToken",),
        "zohocrmsdk.src.com.zoho.crm.api.user_signature": ("UserSignature",),
        "zohocrmsdk.src.com.zoho.crm.api.exception.sdk_exception":
            ("SDKException",),
    }

    def setUp(self):
        self.saved = dict(sys.modules)
        for name, classes in self.MODULES.items():
            parts = name.split(".")
            for end in range(1, len(parts) + 1):
                sys.modules.setdefault(".".join(parts[:end]),
                                       types.ModuleType(".".join(parts[:end])))
            for cls in classes:
                setattr(sys.modules[name], cls, getattr(zoho_double, cls))
        self.zoho_module = importlib.reload(tokenstore.zoho)
        self.dir = TempDir()

    def tearDown(self):
        for name in set(sys.modules) - set(self.saved):
            del sys.modules[name]
        importlib.reload(tokenstore.zoho)
        self.dir.remove()

    def test_subclasses_sdk_token_store_and_raises_sdk_exception(self):
        zoho = self.zoho_module.ZohoTokenStore(
            self.dir.sub("store"), key_file=self.dir.key_file())
        with zoho:
            self.assertIsInstance(zoho, zoho_double.TokenStore)
            with self.assertRaises(zoho_double.SDKException) as caught:
                zoho.find_token_by_id("404")
            self.assertEqual(caught.exception.code, "TOKEN_STORE")
            self.assertIsInstance(caught.exception.__cause__,
                                  tokenstore.NotFoundError)

            # Objects are built from the SDK's own classes by default.
            zoho.save_token(granted_token())
            token = zoho.find_token_by_id("1")
            self.assertIsInstance(token, zoho_double.OAuthToken)
            self.assertIsInstance(token.get_user_signature(),
                                  zoho_double.UserSignature)


@unittest.skipUnless(tokenstore.zoho.SDK is None, "an SDK is installed")
class OldSdkTest(unittest.TestCase):
    """An SDK whose TokenStore has the older interface (get_token,
    get_token_by_id) is not used: the module works as without an SDK."""

    def setUp(self):
        self.saved = dict(sys.modules)

        class OldTokenStore:
            def get_token(self, user, token):
                raise NotImplementedError

        for name, cls in WithSdkTest.MODULES.items():
            parts = name.split(".")
            parts[0] = "zcrmsdk"
            for end in range(1, len(parts) + 1):
                sys.modules.setdefault(".".join(parts[:end]),
                                       types.ModuleType(".".join(parts[:end])))
            source = OldTokenStore if cls == ("TokenStore",) else getattr(
                zoho_double, cls[0])
            setattr(sys.modules[".".join(parts)], cls[0], source)
        self.zoho_module = importlib.reload(tokenstore.zoho)

    def tearDown(self):
        for name in set(sys.modules) - set(self.saved):
            del sys.modules[name]
        importlib.reload(tokenstore.zoho)

    def test_old_interface_is_not_subclassed(self):
        self.assertIsNone(self.zoho_module.SDK)
        self.assertIs(self.zoho_module.ZohoTokenStore.__bases__[0], object)


@unittest.skipUnless(tokenstore.zoho.SDK is None, "the SDK is installed")
class WithoutSdkTest(unittest.TestCase):
    """Without the SDK, plain stand-ins carry the same accessors."""

    def test_plain_classes(self):
        directory = TempDir()
        try:
            with ZohoTokenStore(directory.sub("s"),
                                key_file=directory.key_file()) as zoho:
                zoho.save_token(granted_token())
                token = zoho.get_tokens()[0]
                self.assertIsInstance(token, tokenstore.zoho.PlainOAuthToken)
                self.assertEqual(token.get_user_signature().get_name(), USER)
                self.assertEqual(token.get_expires_in(), "1700000000000")
                token.set_access_token("x")
                self.assertEqual(token.get_access_token(), "x")
        finally:
            directory.remove()


if __name__ == "__main__":
    unittest.main()

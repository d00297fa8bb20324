"""tokenstore.Store: the Pythonic wrapper of the C API."""

import os
import threading
import unittest

import tokenstore
from tokenstore import Token

from support import KEY_HEX, TempDir


def full_token(tag, user=None):
    """A token with every kind of value, distinct per tag."""
    return Token(user_name=user or "user-%s@example.com:1" % tag,
                 client_id="1000.CLIENT", client_secret="s3cr3tvalue",
                 refresh_token="1000.refresh.%s" % tag,
                 access_token="1000.access.%s" % tag,
                 grant_token="grant.%s" % tag, expiry_time="1000",
                 redirect_url="https://example.com/cb",
                 api_domain="https://www.zohoapis.com")


class StoreTest(unittest.TestCase):

    def setUp(self):
        self.dir = TempDir()
        self.store = tokenstore.Store(ephemeral=True)

    def tearDown(self):
        self.store.close()
        self.dir.remove()

    def test_save_writes_back_id_and_generation(self):
        token = full_token("a")
        token_id = self.store.save(token)
        self.assertEqual(token.id, token_id)
        self.assertEqual(token.generation, 1)
        self.assertGreater(token.updated_at, 0)
        token.access_token = "1000.access.new"
        self.store.save(token)
        self.assertEqual(token.id, token_id)
        self.assertEqual(token.generation, 2)

    def test_values_round_trip_exactly(self):
        # Empty is not null; arbitrary bytes survive as surrogates.
        token = Token(access_token="a", api_domain="",
                      redirect_url=b"\xff\x00raw")
        self.store.save(token)
        back = self.store.find_by_id(token.id)
        self.assertEqual(back.api_domain, "")
        self.assertIsNone(back.user_name)
        self.assertEqual(back.redirect_url.encode("utf-8", "surrogateescape"),
                         b"\xff\x00raw")

    def test_find_merges_into_the_query_and_caller_values_win(self):
        self.store.save(full_token("a", user="me@example.com:1"))
        query = Token(user_name="me@example.com:1", api_domain="mine")
        self.assertIs(self.store.find(query), query)
        self.assertEqual(query.refresh_token, "1000.refresh.a")
        self.assertEqual(query.api_domain, "mine")
        self.assertEqual(query.generation, 1)

    def test_find_miss_returns_none_and_leaves_query(self):
        query = Token(user_name="nobody")
        self.assertIsNone(self.store.find(query))
        self.assertIsNone(query.id)

    def test_error_classes_per_code(self):
        with self.assertRaises(tokenstore.NotFoundError) as caught:
            self.store.find_by_id("404")
        self.assertEqual(caught.exception.code, 1)
        self.assertEqual(caught.exception.name, "NOT_FOUND")
        with self.assertRaises(tokenstore.NotFoundError):
            self.store.delete("404")
        with self.assertRaises(tokenstore.NotFoundError):
            self.store.save(Token(id="404", access_token="x"))
        with self.assertRaises(tokenstore.InvalidArgumentError):
            self.store.save(Token(client_id="only"))
        with self.assertRaises(tokenstore.InvalidArgumentError):
            self.store.save(Token(access_token="x" * (16 * 1024 + 1)))
        self.store.save(full_token("a"))
        with self.assertRaises(tokenstore.ConflictError):
            clash = full_token("b")
            clash.refresh_token = "1000.refresh.a"
            self.store.save(clash)

    def test_bad_values_are_refused_before_the_store(self):
        with self.assertRaises(TypeError):
            self.store.save(Token(access_token=42))
        with self.assertRaises(tokenstore.InvalidArgumentError) as caught:
            self.store.save(Token(id="has space", access_token="x"))
        self.assertIn("field id", str(caught.exception))
        self.assertEqual(self.store.tokens(), [])

    def test_save_if_refuses_a_stale_generation(self):
        token = full_token("a")
        self.store.save(token)
        stale = self.store.find_by_id(token.id)
        token.access_token = "1000.access.newer"
        self.store.save_if(token, 1)
        stale.refresh_token = "1000.refresh.revoked"
        with self.assertRaises(tokenstore.ConflictError):
            self.store.save_if(stale, stale.generation)
        self.assertEqual(self.store.find_by_id(token.id).refresh_token,
                         "1000.refresh.a")

    def test_iteration_in_insertion_order_and_stats(self):
        for tag in "abc":
            self.store.save(full_token(tag))
        self.assertEqual([t.grant_token for t in self.store],
                         ["grant.a", "grant.b", "grant.c"])
        self.assertEqual(len(self.store.tokens()), 3)
        stats = self.store.stats()
        self.assertEqual(stats["record_count"], 3)
        self.assertEqual(stats["format_version"], tokenstore.FORMAT_VERSION)

    def test_delete_calls(self):
        for tag in "abc":
            self.store.save(full_token(tag))
        first = self.store.find_by_id("1")
        self.store.delete(first.id)
        self.assertEqual(self.store.delete_user("user-b@example.com:1"), 1)
        self.assertEqual(self.store.purge_expired(5000, limit=10), 1)
        self.store.save(full_token("d"))
        self.store.delete_all()
        self.assertEqual(self.store.tokens(), [])

    def test_leases(self):
        token = full_token("a")
        self.store.save(token)
        self.store.acquire_lease(token.id, "worker-1", 60000)
        with self.assertRaises(tokenstore.LeaseHeldError):
            self.store.acquire_lease(token.id, "worker-2", 60000)
        self.store.release_lease(token.id, "worker-1")
        self.store.acquire_lease(token.id, "worker-2", 60000)

    def test_repr_hides_secrets(self):
        text = repr(full_token("a", user="me@example.com:1"))
        self.assertNotIn("1000.refresh.a", text)
        self.assertNotIn("me@example.com", text)
        self.assertNotIn("s3cr3tvalue", text)
        self.assertIn("https://www.zohoapis.com", text)

    def test_one_store_shared_by_threads(self):
        # Saves from four threads at once: every one lands, ids distinct.
        failures = []

        def save_many(name):
            try:
                for i in range(25):
                    self.store.save(full_token("%s-%d" % (name, i)))
            except tokenstore.TokenStoreError as error:
                failures.append(error)

        threads = [threading.Thread(target=save_many, args=("t%d" % n,))
                   for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(failures, [])
        ids = [token.id for token in self.store]
        self.assertEqual(len(ids), 100)
        self.assertEqual(len(set(ids)), 100)

    def test_store_used_in_forked_child_raises(self):
        self.store.save(full_token("a"))
        pid = os.fork()
        if pid == 0:
            # The child reports through its exit status only.
            code = 1
            try:
                self.store.find_by_id("1")
            except tokenstore.UsedAfterForkError:
                code = 11
            except BaseException:
                code = 2
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 11)
        self.assertEqual(self.store.find_by_id("1").grant_token, "grant.a")

    def test_use_after_close_raises(self):
        self.store.close()
        self.assertTrue(self.store.closed)
        with self.assertRaises(tokenstore.InvalidArgumentError):
            self.store.find(Token(user_name="x"))


class OpenTest(unittest.TestCase):

    def setUp(self):
        self.dir = TempDir()

    def tearDown(self):
        self.dir.remove()

    def test_context_manager_and_reopen_with_each_key_source(self):
        path = self.dir.sub("store")
        with tokenstore.Store(path, key_file=self.dir.key_file(),
                              durability="nosync") as store:
            store.save(full_token("a"))
            self.assertEqual(store.path, path)
        self.assertTrue(store.closed)
        os.environ["TKS_PY_TEST_KEY"] = KEY_HEX
        with tokenstore.Store(path, key_env="TKS_PY_TEST_KEY") as store:
            self.assertEqual(len(store.tokens()), 1)
        with tokenstore.Store(path, key=bytes.fromhex(KEY_HEX)) as store:
            self.assertEqual(len(store.tokens()), 1)

    def test_wrong_key_and_bad_options(self):
        path = self.dir.sub("store")
        tokenstore.Store(path, key_file=self.dir.key_file()).close()
        with self.assertRaises(tokenstore.WrongKeyError):
            tokenstore.Store(path, key=b"\x01" * 32)
        with self.assertRaises(tokenstore.InvalidArgumentError):
            tokenstore.Store(path, key=b"short")
        with self.assertRaises(tokenstore.InvalidArgumentError):
            tokenstore.Store(path)  # No key source.
        with self.assertRaises(tokenstore.InvalidArgumentError):
            tokenstore.Store(path, key_file=self.dir.key_file(),
                             durability="sometimes")
        with self.assertRaises(tokenstore.NotFoundError):
            tokenstore.Store(self.dir.sub("missing"),
                             key_file=self.dir.key_file(),
                             create_if_missing=False)

    def test_log_sink_gets_events_without_secrets(self):
        events = []
        path = self.dir.sub("store")
        with tokenstore.Store(path, key_file=self.dir.key_file(),
                              log=lambda level, text: events.append(
                                  (level, text))) as store:
            store.save(full_token("a", user="hidden-user@example.com:1"))
        self.assertTrue(any("opened" in text for _, text in events))
        self.assertTrue(all(0 <= level <= 3 for level, _ in events))
        self.assertFalse(any("hidden-user" in text for _, text in events))

    def test_versions(self):
        self.assertRegex(tokenstore.__version__, r"^\d+\.\d+\.\d+$")
        self.assertEqual(tokenstore.code_name(3), "CONFLICT")


if __name__ == "__main__":
    unittest.main()

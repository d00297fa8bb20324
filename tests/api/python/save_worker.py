"""A separate process that saves through ZohoTokenStore, for the
two-process test. Usage: save_worker.py STORE KEY_FILE NAME COUNT GO_FILE

Waits (bounded) for GO_FILE so that two workers start together, then:
1. inserts COUNT tokens of its own users through save_token;
2. COUNT times bumps the shared record "shared@example.com:1" with a
   compare-and-swap save, retrying on CONFLICT (bounded).
Exits 0 on success; prints what failed otherwise.
"""

import os
import sys
import time

import tokenstore
from tokenstore.zoho import ZohoTokenStore

from zoho_double import OAuthToken, UserSignature

MAX_WAIT_S = 30
MAX_ATTEMPTS = 10000


def wait_for(path):
    deadline = time.monotonic() + MAX_WAIT_S
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise SystemExit("no go file after %d s" % MAX_WAIT_S)
        time.sleep(0.01)


def bump_shared(store):
    """One compare-and-swap increment of the shared record's counter."""
    for _ in range(MAX_ATTEMPTS):
        current = store.find(tokenstore.Token(
            user_name="shared@example.com:1"))
        current.api_domain = str(int(current.api_domain) + 1)
        try:
            store.save_if(current, current.generation)
            return
        except tokenstore.ConflictError:
            continue
    raise SystemExit("no successful save in %d attempts" % MAX_ATTEMPTS)


def main(path, key_file, name, count, go_file):
    wait_for(go_file)
    with ZohoTokenStore(path, key_file=key_file, durability="nosync",
                        token_class=OAuthToken,
                        user_signature_class=UserSignature) as zoho:
        for i in range(count):
            token = OAuthToken(
                client_id="1000.C", client_secret="s",
                refresh_token="1000.refresh.%s.%d" % (name, i),
                access_token="1000.access.%s.%d" % (name, i),
                user_signature=UserSignature("%s-%d@example.com:1"
                                             % (name, i)))
            zoho.save_token(token)
            if token.get_id() is None:
                raise SystemExit("no id written back")
            bump_shared(zoho.store)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]),
         sys.argv[5])

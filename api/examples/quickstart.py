"""quickstart: open a store, save a token, find it by every path,
iterate, delete. Usage: TKS_ROOT_KEY=<64 hex> python3 quickstart.py DIR
Prints ids and counts only: token values are secrets."""

import sys

import tokenstore
from tokenstore import Token

with tokenstore.Store(sys.argv[1], key_env="TKS_ROOT_KEY") as store:
    # Save: the store assigns the id and writes it back.
    token = Token(user_name="me@example.com:20050000",
                  client_id="1000.EXAMPLECLIENTID",
                  client_secret="0123456789abcdef0123456789abcdef",
                  refresh_token="1000.refresh.example",
                  access_token="1000.access.example",
                  grant_token="1000.grant.example",
                  expiry_time="1700000000000",
                  api_domain="https://www.zohoapis.com")
    store.save(token)
    print("saved id", token.id, "generation", token.generation)

    # Find by user, by access token, by refresh token (with client id and
    # secret), and by id. A miss is None; find_by_id raises NotFoundError.
    for how, query in [
            ("user", Token(user_name="me@example.com:20050000")),
            ("access token", Token(access_token="1000.access.example")),
            ("refresh token", Token(refresh_token="1000.refresh.example",
                                    client_id="1000.EXAMPLECLIENTID",
                                    client_secret="x"))]:
        found = store.find(query)
        print("find by", how + ":", found.id if found else None)
    print("find by id: api_domain", store.find_by_id(token.id).api_domain)

    # Iterate, then delete.
    print("records:", sum(1 for _ in store))
    store.delete(token.id)
    print("deleted id", token.id)

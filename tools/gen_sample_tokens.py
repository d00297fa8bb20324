#!/usr/bin/env python3
"""Writes fake tokens in the SDK token-file format (10 columns, CRLF).

Every value is random and fake; only the shapes follow the Zoho SDK:
user `email:org-id`, client id `1000.` + 30 chars, a 42-hex client
secret, tokens `1000.<32 hex>.<32 hex>`, expiry in epoch milliseconds.
The seed makes the output reproducible (tests/data/sample_tokens.txt is
`gen_sample_tokens.py --rows 50 --seed 4`).
"""
import argparse
import random
import string
import sys

HEADER = ("id,user_name,client_id,client_secret,refresh_token,access_token,"
          "grant_token,expiry_time,redirect_uri,api_domain")
NAMES = ["ana", "ben", "chen", "dara", "emil", "fatima", "goran", "hana",
         "ivan", "jun", "kofi", "lena", "mo", "nia", "omar", "priya"]
DOMAINS = ["https://www.zohoapis.com", "https://www.zohoapis.eu",
           "https://www.zohoapis.in", "https://www.zohoapis.com.au"]
BASE_MS = 1796400000000


def token(rng):
    return "1000.%032x.%032x" % (rng.getrandbits(128), rng.getrandbits(128))


def client(rng):
    chars = string.ascii_uppercase + string.digits
    return ("1000." + "".join(rng.choice(chars) for _ in range(30)),
            "%042x" % rng.getrandbits(168))


def rows(count, seed):
    rng = random.Random(seed)
    clients = [client(rng) for _ in range(2)]
    for i in range(1, count + 1):
        client_id, secret = clients[i % len(clients)]
        user = "%s.%d@example.com:%d" % (rng.choice(NAMES), i,
                                          60000000 + rng.randrange(10**6))
        grant = token(rng) if i % 3 == 0 else ""
        redirect = "https://app.example.com/oauth/callback" if i % 2 else ""
        expiry = str(BASE_MS + rng.randrange(-3600000, 3600000))
        yield [str(i), user, client_id, secret, token(rng), token(rng), grant,
               expiry, redirect, rng.choice(DOMAINS)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    out = sys.stdout.buffer
    out.write((HEADER + "\r\n").encode())
    for row in rows(args.rows, args.seed):
        out.write((",".join(row) + "\r\n").encode())


if __name__ == "__main__":
    main()

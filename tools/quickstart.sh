#!/usr/bin/env bash
# Quick start: creates ./quickstart-store with its key file
# ./quickstart-store.key, imports the project's fake SDK token file
# (tests/data/sample_tokens.txt) and runs every find path on a few rows,
# printing the redacted records and the time each engine call took.
#
# usage: tools/quickstart.sh BUILD_DIR
#
# Token values go from the file to tks through a pipe (stdin), never
# through the command line.
set -euo pipefail

BUILD_DIR=${1:?usage: tools/quickstart.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TKS=$(cd "$BUILD_DIR" && pwd)/tools/tks
DATA="$ROOT/tests/data/sample_tokens.txt"
STORE=./quickstart-store
KEY=./quickstart-store.key
REPEAT=1000

# Column N (1-based) of data row R (1-based, after the header).
field() {
  sed -n "$(($1 + 1))p" "$DATA" | tr -d '\r' | cut -d, -f"$2"
}

step() {
  printf '\n== %s\n' "$*"
}

step "a new store in $STORE (root key in $KEY)"
rm -rf "$STORE" "$KEY"
"$TKS" init --store "$STORE" --key-file "$KEY"

step "import $DATA"
"$TKS" import --store "$STORE" --key-file "$KEY" "$DATA"
"$TKS" stats --store "$STORE" --key-file "$KEY"

run_find() {
  # The first call is cold; --repeat adds the median of warm calls.
  "$TKS" find --store "$STORE" --key-file "$KEY" --repeat "$REPEAT" "$@"
}

for row in 3 26 48; do
  user=$(field "$row" 2)
  client_id=$(field "$row" 3)
  secret=$(field "$row" 4)
  refresh=$(field "$row" 5)
  access=$(field "$row" 6)
  grant=$(field "$row" 7)
  id=$(field "$row" 1)

  step "row $row: find by user name"
  printf '%s\n' "$user" | run_find --user

  step "row $row: find by access token (no client credentials)"
  printf '%s\n' "$access" | run_find --access

  step "row $row: find by refresh token with client id and secret"
  printf '%s\n%s\n' "$refresh" "$secret" |
    run_find --refresh --client-id "$client_id"

  if [ -n "$grant" ]; then
    step "row $row: find by grant token with client id and secret"
    printf '%s\n%s\n' "$grant" "$secret" |
      run_find --grant --client-id "$client_id"
  fi

  step "row $row: find by id"
  printf '%s\n' "$id" | run_find --id
done

step "a token that is not in the store finds nothing (exit code 1)"
set +e
printf '1000.%032d.%032d\n' 0 0 | run_find --access
echo "exit code $?"
set -e

step "done: try '$TKS --help'"

#!/usr/bin/env bash
# After `cmake --install`, a program finds tokenstore through
# find_package (shared and static) and through pkg-config.
# Usage: install_check.sh BUILD_DIR CONSUMER_SOURCE_DIR
set -euo pipefail
build_dir=$1
consumer_src=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/tks-install-check-XXXXXX")
trap 'rm -rf "$work"' EXIT

# Step 1: install into a private prefix.
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
libdir=$(dirname "$(find "$work/prefix" -name 'libtks.so.0' | head -1)")

# Step 2: find_package, shared and static.
cmake -S "$consumer_src" -B "$work/build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
LD_LIBRARY_PATH="$libdir" "$work/build/consumer_shared"
"$work/build/consumer_static"

# Step 3: pkg-config.
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
cc -o "$work/consumer_pc" "$consumer_src/consumer.c" \
  $(pkg-config --cflags --libs tokenstore)
LD_LIBRARY_PATH="$libdir" "$work/consumer_pc"
echo "install check passed"

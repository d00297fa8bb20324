#!/usr/bin/env bash
# Runs every libFuzzer target of a TKS_FUZZ build for a bounded time each,
# starting from the seed corpus in tests/fuzz/corpus/<target>/ (new inputs
# go to a scratch copy, not into the repository). Crashes are written to
# <build>/fuzz-artifacts/; the script fails if any target crashes.
#
#   tests/fuzz/run_fuzz.sh <build-dir> [seconds-per-target]   (default 60)
set -euo pipefail
build="${1:?usage: run_fuzz.sh <build-dir> [seconds]}"
seconds="${2:-60}"
here="$(cd "$(dirname "$0")" && pwd)"
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"

status=0
for target in record_decoder sdk_csv c_api; do
  binary="$build/tests/fuzz/fuzz_$target"
  if [ ! -x "$binary" ]; then
    echo "== fuzz_$target: not built, skipped"
    continue
  fi
  scratch="$(mktemp -d)"
  cp "$here/corpus/$target/"* "$scratch/"
  echo "== fuzz_$target: ${seconds}s"
  log="$artifacts/$target.log"
  rc=0
  "$binary" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=1024 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$target-" "$scratch" >"$log" 2>&1 || rc=$?
  grep -E "^(stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)" \
    "$log" || true
  if [ "$rc" -ne 0 ]; then
    echo "== fuzz_$target: FAILED (exit $rc, log $log)"
    status=1
  fi
  rm -rf "$scratch"
done
exit "$status"

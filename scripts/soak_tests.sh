#!/usr/bin/env bash
# Run the whole test suite several times in a row while another process keeps one core busy: a test that
# waits on the machine's speed instead of a state shows up here before it shows up in CI.
# Usage: bash scripts/soak_tests.sh [runs, default 3] [pytest arguments...]
# Prints one line per run (its exit status and wall time) and exits non-zero if any run failed; each run's
# output is kept in soak-run-<k>.log.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs="${1:-3}"
shift || true
# One core's worth of busy work, in its own process, for as long as the runs last.
python3 -c 'while True: pass' &
burner=$!
trap 'kill "$burner" 2>/dev/null' EXIT

failed=0
for k in $(seq 1 "$runs"); do
    start=$(date +%s)
    CI=true bash scripts/test.sh -p no:cacheprovider "$@" >"soak-run-$k.log" 2>&1
    status=$?
    echo "run $k: exit $status in $(($(date +%s) - start)) s; $(tail -n 1 "soak-run-$k.log")"
    [ "$status" -eq 0 ] || failed=1
done
exit "$failed"

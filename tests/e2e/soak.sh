#!/usr/bin/env bash
# The soak on the debug kernel (emulation/guest/soak.sh): `make soak` runs
# the long one, make check the short cut.  Fails on corruption, on the
# guest's own checks and on any kernel report (tests/e2e/run-guest.sh).
# usage: tests/e2e/soak.sh short|long   (long: SOAK_SECONDS per round,
#                                        SOAK_ROUNDS rounds; 240, 2)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
case ${1:-short} in
short) mem=192 secs=30 rounds=1 procs=3 timeout=900 ;;
long) mem=256 secs=${SOAK_SECONDS:-240} rounds=${SOAK_ROUNDS:-2} procs=4 timeout=7200 ;;
*) echo "usage: $0 short|long" >&2; exit 2 ;;
esac
start=$SECONDS
rc=0
"$top/tests/e2e/run-guest.sh" soak --debug --mem "$mem" --swap-size 2G --swap2-size 2G \
	--timeout "$timeout" \
	--append "fsnvm.seconds=$secs fsnvm.rounds=$rounds fsnvm.procs=$procs fsnvm.factor=3" || rc=$?
line=$(tr -d '\r' <"$top/build/emu/soak-debug/console.log" | grep -a '^SOAK: ' | tail -n 1 || true)
[ -n "$line" ] && echo "$line wall_s=$((SECONDS - start))"
exit "$rc"

#!/usr/bin/env bash
# The soak's own checks can fail: on the host, a page it flipped on
# purpose (--break) must be reported corrupt, and a clean run must pass.
set -uo pipefail
soak=$(cd "$(dirname "$0")/../.." && pwd)/build/emu/soak
[ -x "$soak" ] || { echo "no $soak (scripts/build-guest.sh builds it)" >&2; exit 1; }
out=$("$soak" --procs 2 --mib 4 --seconds 1 --break 3 2>/dev/null)
rc=$?
[ "$rc" = 1 ] && grep -q ' corrupt=[1-9]' <<<"$out" || { echo "a broken page was not caught (rc $rc): $out" >&2; exit 1; }
"$soak" --procs 2 --mib 4 --seconds 1 >/dev/null || { echo "a clean run failed" >&2; exit 1; }
echo "soak self-check: a flipped word is caught, a clean run passes"

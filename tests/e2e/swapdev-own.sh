#!/usr/bin/env bash
# The swap device module on the project's own 6.1 kernel, where the
# frontswap backend is built in: each front end refuses the namespace the
# other holds, then the swap device runs phase 1 of
# emulation/guest/swapdev.sh (the verified workload, swapoff, unbind).
# On the debug kernel its I/O path, the slot-free hook called under swap's
# spinlock and the unbind run under KASAN, lockdep and atomic-sleep
# checks; run-guest.sh fails on any report.
# usage: tests/e2e/swapdev-own.sh release|debug
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
flavour=${1:?usage: swapdev-own.sh release|debug}
initrd=$("$top/scripts/build-swapdev-guest.sh" "$flavour")
args=()
[ "$flavour" = debug ] && args=(--debug)
"$top/tests/e2e/run-guest.sh" swapdev "${args[@]}" --initrd "$initrd" --mem 256 \
	--nvdimm-size 512M --timeout 1200 --append "fsnvm.phase=1"
dir=$top/build/emu/swapdev${args:+-debug}
line=$(tr -d '\r' <"$dir/console.log" | grep -a '^SWAPDEV-PHASE1 ' | tail -n 1)
fail() { echo "swapdev-own $flavour: $*" >&2; exit 1; }
[ -n "$line" ] || fail "no result line"
val() { sed -n "s/.* $1=\([0-9a-z]*\).*/\1/p" <<<"$line"; }
[ "$(val cross)" = yes ] || fail "the front ends' mutual refusal was not checked"
[ "$(val corrupt)" = 0 ] || fail "corrupt pages"
[ "$(val after_swapoff)" = 1 ] || fail "blocks left after swapoff"
[ "$(val stores)" -gt 50000 ] || fail "only $(val stores) stores"

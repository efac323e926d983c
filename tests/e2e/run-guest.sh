#!/usr/bin/env bash
# Run one guest test script in QEMU on fresh images and fail on anything
# the kernel reports: the guest script's own rc, and any oops, BUG, WARNING,
# lockdep or KASAN report in the console log (kept in build/emu/NAME/).
# usage: tests/e2e/run-guest.sh NAME [run-qemu.sh options...]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
name=$1
shift
dir=$top/build/emu/$name
rm -rf "$dir"
mkdir -p "$dir"
rc=0
"$top/emulation/run-qemu.sh" --run "$name" --nvdimm-img "$dir/nvdimm.img" \
	--swap-img "$dir/swap.img" --log "$dir/console.log" "$@" || rc=$?
bad='(BUG:|Oops|WARNING:|general protection fault|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|KASAN:|UBSAN:|Call Trace:|Kernel panic)'
if grep -aEq "$bad" "$dir/console.log"; then
	echo "kernel reported problems:" >&2
	grep -aE -A5 "$bad" "$dir/console.log" | head -40 >&2
	rc=1
fi
grep -aE '^E2E-|FSNVM-GUEST-EXIT' "$dir/console.log" | tail -n 3 || true
exit "$rc"

#!/usr/bin/env bash
# Run one guest test script in QEMU on fresh images and fail on anything
# the kernel reports: the guest script's own rc, and any report that
# tests/e2e/scan-console.sh finds in the console log (kept in
# build/emu/NAME/).  --debug boots the debug kernel (build/kernel-debug:
# KASAN, UBSAN, lockdep, ...), where every kind of report can be printed.
# usage: tests/e2e/run-guest.sh NAME [--debug] [run-qemu.sh options...]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
name=$1
shift
kernel=()
if [ "${1:-}" = --debug ]; then
	shift
	# no5lvl: with 5-level paging, 6.1's KASAN misjudges its shadow for
	# an interrupt that comes while identify_cpu() has the boot CPU's
	# feature bits cleared ("wild-memory-access" in do_raw_spin_lock
	# early in boot, now and then), which would fail a test at random.
	kernel=(--kernel "$top/build/kernel-debug/arch/x86/boot/bzImage" --append no5lvl)
fi
dir=$top/build/emu/$name${kernel:+-debug}
rm -rf "$dir"
mkdir -p "$dir"
rc=0
"$top/emulation/run-qemu.sh" --run "$name" "${kernel[@]}" --nvdimm-img "$dir/nvdimm.img" \
	--swap-img "$dir/swap.img" --log "$dir/console.log" "$@" || rc=$?
if ! "$top/tests/e2e/scan-console.sh" "$dir/console.log" >"$dir/reports"; then
	echo "kernel reported problems ($dir/console.log):" >&2
	cat "$dir/reports" >&2
	grep -aE -m3 -A12 -e 'BUG|WARNING:|KASAN|UBSAN|lock|RCU|Oops|panic' "$dir/console.log" | head -60 >&2
	rc=1
fi
grep -aE '^E2E-|FSNVM-GUEST-EXIT' "$dir/console.log" | tail -n 3 || true
exit "$rc"

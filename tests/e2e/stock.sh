#!/usr/bin/env bash
# The swap device front end on Debian's own kernel: download (not install)
# the stock image and headers of SERIES, build fsnvm_swap.ko against them,
# and boot the image twice on one NVDIMM image: phase 1 formats, binds,
# swaps a verified workload (memory pressure, MADV_PAGEOUT, fork) onto
# /dev/fsnvm0 and swaps off; phase 2 binds again after the reboot and
# finds the wear and the swap header kept (emulation/guest/swapdev.sh).
# Fails on the guest's rc, on any kernel report (scan-console.sh), and on
# the numbers below.
# --show also prints what a newcomer wants to see (make demo-stock): the
# workload's lines and the wear report.
# usage: tests/e2e/stock.sh 6.1|6.12 [--show]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
series=${1:?usage: stock.sh 6.1|6.12 [--show]}
show=${2:-}
read -r kver kdir < <("$top/scripts/stock-guest.sh" "$series")
dir=$top/build/emu/stock-$series
rm -rf "$dir"
mkdir -p "$dir"
fail() { echo "stock $series: $*" >&2; exit 1; }

# boot PHASE [--append ...]: one boot, its console in $dir/phasePHASE.log.
boot() {
	local phase=$1 log=$dir/phase$1.log rc=0
	shift
	"$top/emulation/run-qemu.sh" --kernel "$kdir/vmlinuz" --initrd "$kdir/initramfs.cpio.gz" \
		--nvdimm-img "$dir/nvdimm.img" --nvdimm-size 1G --swap-img "$dir/swap.img" \
		--swap-size 16M --mem 384 --smp 2 --run swapdev --timeout 900 --log "$log" \
		--append "fsnvm.phase=$phase zswap.enabled=0" "$@" >/dev/null || rc=$?
	if ! "$top/tests/e2e/scan-console.sh" "$log" >"$dir/reports$phase"; then
		cat "$dir/reports$phase" >&2
		fail "the kernel reported problems in phase $phase ($log)"
	fi
	[ "$rc" = 0 ] || { grep -a 'FATAL' "$log" >&2 || true; fail "phase $phase: guest rc $rc ($log)"; }
}
# val LINE KEY: the number after KEY= in LINE.
val() { sed -n "s/.* $2=\([0-9]*\).*/\1/p" <<<"$1"; }

boot 1
if [ "$show" = --show ]; then
	tr -d '\r' <"$dir/phase1.log" | grep -aE '^(\[ *[0-9.]+\] fsnvm_swap: |memstress: |swapbench: |\[[0-9.]+ s\] swapdev)' || true
	tr -d '\r' <"$dir/phase1.log" | sed -n '/^--- fsnvmctl wear/,/^SWAPDEV-PHASE1/p' | grep -av '^SWAPDEV'
fi
line=$(tr -d '\r' <"$dir/phase1.log" | grep -a '^SWAPDEV-PHASE1 ' | tail -n 1)
echo "$line"
[ -n "$line" ] || fail "phase 1 printed no result"
grep -q " kernel=$kver " <<<"$line" || fail "phase 1 ran on another kernel than $kver"
[ "$(val "$line" corrupt)" = 0 ] || fail "corrupt pages"
[ "$(val "$line" after_swapoff)" = 1 ] || fail "blocks left after swapoff"
stores=$(val "$line" stores) invals=$(val "$line" invalidates)
[ "$stores" -gt 100000 ] || fail "only $stores stores: the workload did not swap"
# Every slot swap wrote it freed again (swapoff, or its page came back):
# each write but the swap header's was invalidated once or rewritten.
[ "$invals" -ge $((stores / 2)) ] || fail "$invals invalidates for $stores stores"
wear=$(val "$line" wear_max)
[ "$wear" -ge 1 ] || fail "no wear recorded"

boot 2 --append "fsnvm.wear=$wear"
line=$(tr -d '\r' <"$dir/phase2.log" | grep -a '^SWAPDEV-PHASE2 ' | tail -n 1)
echo "$line"
[ -n "$line" ] || fail "phase 2 printed no result"
[ "$(val "$line" wear_after_bind)" -ge "$wear" ] || fail "wear went down across the reboot"
[ "$(val "$line" corrupt)" = 0 ] || fail "corrupt pages after the reboot"

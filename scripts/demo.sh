#!/usr/bin/env bash
# make demo: build (cached), boot QEMU with an emulated NVDIMM, swap onto it
# through frontswap-nvm, print the counters and the wear report.
# Knobs (make variables or environment):
#   DEMO_RAM=MiB            guest RAM (default 256)
#   DEMO_MIB=MiB            workload size (default 2 x guest RAM)
#   DEMO_PASSES=N           its rewrite passes (default 4)
#   DEMO_NVDIMM_SIZE=SIZE   emulated NVDIMM (default 128M: smaller than what
#                           is swapped, so frames are reused and wear shows)
#   DEMO_NVDIMM_IMG=PATH    its backing file, kept between runs
#                           (default build/emu/demo/nvdimm.img)
#   DEMO_TIMEOUT=SEC        (default 1200)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
ram=${DEMO_RAM:-256}
mib=${DEMO_MIB:-$((ram * 2))}
size=${DEMO_NVDIMM_SIZE:-128M}
img=${DEMO_NVDIMM_IMG:-$top/build/emu/demo/nvdimm.img}
dir=$top/build/emu/demo
log=$dir/console.log
t0=$SECONDS
stage() { printf '\n== [%4ss] %s\n' $((SECONDS - t0)) "$*"; }

mkdir -p "$dir" "$(dirname "$img")"
stage "kernel (Linux 6.1 + frontswap-nvm)"
"$top/scripts/build-kernel.sh"
stage "guest: fsnvmctl, memstress, initramfs"
"$top/scripts/build-guest.sh"
size_opt=(--nvdimm-size "$size")
[ -e "$img" ] && size_opt=(--nvdimm-size "$(stat -c %s "$img")")
stage "booting QEMU: ${ram} MiB RAM, NVDIMM $img, workload ${mib} MiB (TCG: a few minutes)"
echo "   (the full console, kernel boot included, goes to $log)"
rc=0
# Show the guest's own output, not the kernel's boot messages (pipefail
# keeps run-qemu.sh's exit status).
"$top/emulation/run-qemu.sh" --run demo --mem "$ram" "${size_opt[@]}" \
	--nvdimm-img "$img" --swap-img "$dir/swap.img" --log "$log" \
	--append "fsnvm.mib=$mib fsnvm.passes=${DEMO_PASSES:-4}" --timeout "${DEMO_TIMEOUT:-1200}" |
	tr -d '\r' | sed -n '/^run-qemu: accel/p; /fsnvm guest: running/,$p' || rc=$?
stage "summary"
summary=$(tr -d '\r' <"$log" | grep -a '^DEMO-SUMMARY' | tail -n 1 || true)
if [ "$rc" = 0 ] && [ -n "$summary" ]; then
	echo "${summary#DEMO-SUMMARY }" | tr ' ' '\n' | sed 's/^/  /'
	echo "  console log: $log"
	echo "  NVDIMM image (kept; run again to see wear grow): $img"
	stage "wear picture"
	# The namespace starts after its pfn info block and memmap: find our
	# superblock ("FSWSNVM1", little-endian) on a 4 KiB boundary.
	off=$(grep -obUa SFWSNVM1 "$img" | awk -F: '$1 % 4096 == 0 { print $1; exit }')
	if [ -n "$off" ]; then
		dd if="$img" of="$dir/namespace.img" bs=4096 skip=$((off / 4096)) status=none
		"$top/build/user/fsnvmctl" wear "$dir/namespace.img" --svg "$dir/wear.svg" | sed 's/^/  /'
		echo "  wear picture (one cell per frame, viridis from least to most worn): $dir/wear.svg"
	else
		echo "  no frontswap-nvm superblock found in $img" >&2
	fi
else
	echo "demo failed (rc=$rc); console log: $log" >&2
	exit 1
fi

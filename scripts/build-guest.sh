#!/usr/bin/env bash
# Build what the guest runs: memstress, soak and swapbench (static) and the
# initramfs with busybox, ndctl, fsnvmctl, those three and emulation/guest/*;
# the benchmark's also has stress-ng (and its 26 libraries, which the other
# guests need neither in their RAM nor in their boot time).
# usage: scripts/build-guest.sh [--perf]
# Output: build/emu/initramfs.cpio.gz, build/emu/initramfs-bench.cpio.gz;
# with --perf also build/emu/initramfs-perf.cpio.gz, the benchmark's plus
# perf and its libraries (make bench-profile only: they would take the
# timed runs' RAM).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$top/build/emu"
make -s -C "$top" "$top/build/user/fsnvmctl"
for prog in memstress soak swapbench; do
	gcc -std=c11 -O2 -static -Wall -Wextra -Werror -o "$top/build/emu/$prog" "$top/emulation/$prog.c"
done
bins="$top/build/user/fsnvmctl"
for prog in memstress soak swapbench; do
	bins+=" $top/build/emu/$prog"
done
FSNVM_GUEST_BINS=$bins \
	"$top/emulation/mkinitramfs.sh" "$top/build/emu/initramfs.cpio.gz"
FSNVM_GUEST_BINS="$bins /usr/bin/stress-ng" \
	"$top/emulation/mkinitramfs.sh" "$top/build/emu/initramfs-bench.cpio.gz"
if [ "${1:-}" = --perf ]; then
	FSNVM_GUEST_BINS="$bins /usr/bin/stress-ng /usr/bin/perf" \
		"$top/emulation/mkinitramfs.sh" "$top/build/emu/initramfs-perf.cpio.gz"
fi

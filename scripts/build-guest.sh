#!/usr/bin/env bash
# Build what the guest runs: memstress, soak and swapbench (static) and the
# initramfs with busybox, ndctl, fsnvmctl, those three and emulation/guest/*;
# the benchmark's also has stress-ng (and its 26 libraries, which the other
# guests need neither in their RAM nor in their boot time) and the swap
# device module built against build/kernel.
# usage: scripts/build-guest.sh [--perf]
# Output: build/emu/initramfs.cpio.gz, build/emu/initramfs-bench.cpio.gz;
# with --perf also build/emu/initramfs-perf.cpio.gz, the benchmark's plus
# perf and its libraries (make bench-profile only: they would take the
# timed runs' RAM).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bins=$("$top/scripts/guest-bins.sh" memstress soak swapbench)
FSNVM_GUEST_BINS=$bins \
	"$top/emulation/mkinitramfs.sh" "$top/build/emu/initramfs.cpio.gz"
# The benchmark's swapdev mode loads the swap device module built against
# the release kernel (when it is built: the benchmark depends on it).
modules=
if [ -f "$top/build/kernel/Module.symvers" ]; then
	src=$top/build/module/own-release
	"$top/scripts/module-src.sh" "$src"
	make -s -C "$top/build/kernel" M="$src" modules
	modules=$src/fsnvm_swap.ko
fi
FSNVM_GUEST_BINS="$bins /usr/bin/stress-ng" FSNVM_GUEST_MODULES=$modules \
	"$top/emulation/mkinitramfs.sh" "$top/build/emu/initramfs-bench.cpio.gz"
if [ "${1:-}" = --perf ]; then
	FSNVM_GUEST_BINS="$bins /usr/bin/stress-ng /usr/bin/perf" FSNVM_GUEST_MODULES=$modules \
		"$top/emulation/mkinitramfs.sh" "$top/build/emu/initramfs-perf.cpio.gz"
fi

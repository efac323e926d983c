#!/usr/bin/env bash
# The swap device module on the project's own 6.1 kernel: fsnvm_swap.ko
# built against build/kernel (release) or build/kernel-debug (each has its
# own vermagic and, with lockdep, its own struct layouts), and the guest
# initramfs with it in /modules (the nd drivers are built in).
# usage: scripts/build-swapdev-guest.sh release|debug
# Output: build/emu/initramfs-swapdev-FLAVOUR.cpio.gz (and prints its path).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
flavour=${1:?usage: build-swapdev-guest.sh release|debug}
case $flavour in
release) kobj=$top/build/kernel ;;
debug) kobj=$top/build/kernel-debug ;;
*) echo "build-swapdev-guest: release or debug" >&2; exit 2 ;;
esac
[ -f "$kobj/Module.symvers" ] || { echo "build-swapdev-guest: build $kobj first (scripts/build-kernel.sh $flavour)" >&2; exit 1; }
src=$top/build/module/own-$flavour
"$top/scripts/module-src.sh" "$src"
make -s -C "$kobj" M="$src" modules >&2
bins=$("$top/scripts/guest-bins.sh" memstress swapbench)
out=$top/build/emu/initramfs-swapdev-$flavour.cpio.gz
FSNVM_GUEST_BINS=$bins \
FSNVM_GUEST_MODULES="$src/fsnvm_swap.ko" \
	"$top/emulation/mkinitramfs.sh" "$out" >&2
echo "$out"

#!/bin/sh
# emulation/guest/swap-setup.sh — mkswap + swapon the virtio disk that
# run-qemu.sh attaches (default /dev/vda; first argument overrides).
# Prints the swap device on stdout. A device already in /proc/swaps is kept.
. /guest/lib.sh
dev=${1:-/dev/vda}

[ -b "$dev" ] || die "$dev is not a block device (did run-qemu.sh attach the swap image?)"
if grep -q "^$dev " /proc/swaps; then
	log "$dev already in use as swap"
else
	mkswap "$dev" >&2 || die "mkswap $dev failed"
	swapon "$dev" || die "swapon $dev failed"
	log "swapon $dev: $(awk -v d="$dev" '$1 == d { print $3 " KiB" }' /proc/swaps)"
fi
echo "$dev"

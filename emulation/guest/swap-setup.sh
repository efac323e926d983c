#!/bin/sh
# emulation/guest/swap-setup.sh — mkswap + swapon the virtio disk that
# run-qemu.sh attaches (default /dev/vda; first argument overrides).
# Prints the swap device on stdout. A device already in /proc/swaps is kept.
#
# A virtio disk is marked non-rotational first: its image sits in the
# host's page cache or on an SSD, and QEMU's virtio-blk reports it as
# rotational.  swapon gives a rotational device no swap clusters, so
# every swap-count change on it takes the device-wide si->lock, which
# kswapd and the faulting tasks then contend for (lock_cluster_or_swap_info
# in the guest's profile); an SSD gets per-cluster locks.
. /guest/lib.sh
dev=${1:-/dev/vda}

[ -b "$dev" ] || die "$dev is not a block device (did run-qemu.sh attach the swap image?)"
if grep -q "^$dev " /proc/swaps; then
	log "$dev already in use as swap"
else
	rot=/sys/block/${dev#/dev/}/queue/rotational
	# fsnvm.disk_rotational=1 keeps QEMU's report, for comparisons.
	case $dev in /dev/vd*) [ "$(param disk_rotational 0)" = 1 ] || [ ! -w "$rot" ] || echo 0 >"$rot" ;; esac
	mkswap "$dev" >&2 || die "mkswap $dev failed"
	swapon "$dev" || die "swapon $dev failed"
	log "swapon $dev: $(awk -v d="$dev" '$1 == d { print $3 " KiB" }' /proc/swaps)"
fi
echo "$dev"

#!/bin/sh
# emulation/guest/smoke.sh — prove the emulation pieces on the current kernel:
# fsdax namespace (ns-setup.sh), swap on /dev/vda (swap-setup.sh), debugfs.
# Run with: emulation/run-qemu.sh --run smoke
. /guest/lib.sh

log "kernel $(uname -r), $(grep MemTotal /proc/meminfo | tr -s ' ')"
pmem=$(sh /guest/ns-setup.sh) || die "ns-setup failed"
log "fsdax namespace: $pmem"
[ -b "$pmem" ] || die "$pmem is not a block device"
swap=$(sh /guest/swap-setup.sh) || die "swap-setup failed"

log "ndctl list -N:"
ndctl list -N
log "/proc/swaps:"
cat /proc/swaps
log "ls /sys/kernel/debug:"
ls /sys/kernel/debug

swapoff "$swap" || die "swapoff $swap failed"
log "swapoff $swap ok; smoke passed"

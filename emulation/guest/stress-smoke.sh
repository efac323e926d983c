#!/bin/sh
# emulation/guest/stress-smoke.sh — run memstress bigger than RAM so it swaps
# onto /dev/vda (the fsdax namespace is set up too, for the backend to use).
# Kernel args: fsnvm.mib=N (default 700), fsnvm.passes=P (default 2).
# Run with: emulation/run-qemu.sh --run stress-smoke [--append "fsnvm.mib=900"]
# (the initramfs needs FSNVM_GUEST_BINS=.../memstress).
. /guest/lib.sh

mib=$(param mib 700)
passes=$(param passes 2)
command -v memstress >/dev/null || die "no memstress in the initramfs (FSNVM_GUEST_BINS)"
pmem=$(sh /guest/ns-setup.sh) || die "ns-setup failed"
swap=$(sh /guest/swap-setup.sh) || die "swap-setup failed"

swapstat() { grep -E '^(pswpin|pswpout) ' /proc/vmstat | tr '\n' ' '; }
log "start: $(swapstat); memstress --mib $mib --passes $passes --same-filled"
t0=$(cut -d. -f1 /proc/uptime)
rc=0
memstress --mib "$mib" --passes "$passes" --same-filled || rc=$?
t1=$(cut -d. -f1 /proc/uptime)
log "memstress rc=$rc in $((t1 - t0)) s; end: $(swapstat)"
cat /proc/swaps
swapoff "$swap" || die "swapoff $swap failed"
log "swapoff ok ($pmem untouched)"
exit "$rc"

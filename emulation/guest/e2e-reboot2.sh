#!/bin/sh
# emulation/guest/e2e-reboot2.sh — second boot of the reboot test, bound
# by frontswap_nvm.device= on the command line (retried by the kernel until
# the asynchronously probed namespace appears): the namespace and its
# format survive, binding recovers the index and
# releases the stale pages of the first boot (the first boot saw
# fsnvm.prev_used just before power-off), and the wear read by
# `fsnvmctl wear` is not below the first boot's (fsnvm.prev_max,
# fsnvm.prev_sum on the command line).
. /guest/lib.sh
. /guest/backend.sh
prev_max=$(param prev_max) prev_sum=$(param prev_sum) prev_used=$(param prev_used)
[ -n "$prev_sum" ] || die "needs fsnvm.prev_max/prev_sum/prev_used"
pmem=$(sh /guest/ns-setup.sh)
# The kernel binds it from the command line once /dev/pmem0 shows up.
i=0
while [ "$(bound)" != "$pmem" ] && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
[ "$(bound)" = "$pmem" ] || die "frontswap_nvm.device=$pmem did not bind: $(dmesg | grep frontswap_nvm | tail -n 3)"
dmesg | grep -q "frontswap_nvm: .* not there yet, retrying" &&
	log "the boot-time bind waited for the namespace, as designed"
released=$(dmesg | sed -n 's/.*frontswap_nvm: bound to .*: [0-9]* frames, \([0-9]*\) stale pages released.*/\1/p' | tail -n 1)
[ -n "$released" ] && [ "$released" -gt 0 ] ||
	die "bind released '$released' stale pages; the first boot held $prev_used"
set -- $(sh /guest/wear-summary.sh "$pmem")
[ "$2" -ge "$prev_max" ] && [ "$3" -ge "$prev_sum" ] ||
	die "wear went down across the reboot: max $2 < $prev_max or sum $3 < $prev_sum"
[ "$(counter frames_used)" = 0 ] || die "stale pages still mapped after bind"
[ "$(counter wear_sum)" -ge "$prev_sum" ] || die "engine wear_sum below the first boot's"
# The recovered device serves swap again.
swap=$(sh /guest/swap-setup.sh)
memstress --mib 200 --passes 1 || die "memstress after reboot failed"
swapoff "$swap" && unbind || die "swapoff/unbind failed"
set -- $(sh /guest/wear-summary.sh "$pmem")
echo "E2E-REBOOT2 held=$prev_used released=$released wear_max=$2 (was $prev_max) wear_sum=$3 (was $prev_sum)"

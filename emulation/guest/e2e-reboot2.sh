#!/bin/sh
# emulation/guest/e2e-reboot2.sh — second boot of the reboot test: the
# namespace and its format survive, binding recovers the index and
# releases the stale pages of the first boot (as many as the index on the
# media names; the first boot saw fsnvm.prev_used just before power-off,
# and a few more may have been invalidated after), and the wear read by
# `fsnvmctl wear` is not below the first boot's (fsnvm.prev_max,
# fsnvm.prev_sum on the command line).
. /guest/lib.sh
. /guest/backend.sh
prev_max=$(param prev_max) prev_sum=$(param prev_sum) prev_used=$(param prev_used)
[ -n "$prev_sum" ] || die "needs fsnvm.prev_max/prev_sum/prev_used"
pmem=$(sh /guest/ns-setup.sh)
fsnvmctl check "$pmem" >/tmp/check.out || true	# stale pages: not damage
stale=$(sed -n 's/.*recovery would map \([0-9]*\) pages.*/\1/p' /tmp/check.out)
[ -n "$stale" ] && [ "$stale" -gt 0 ] ||
	die "index before bind names '$stale' pages; the first boot held $prev_used"
set -- $(sh /guest/wear-summary.sh "$pmem")
[ "$2" -ge "$prev_max" ] && [ "$3" -ge "$prev_sum" ] ||
	die "wear went down across the reboot: max $2 < $prev_max or sum $3 < $prev_sum"
bind "$pmem" || die "bind after reboot failed"
released=$(dmesg | sed -n 's/.*frontswap_nvm: bound to .*: [0-9]* frames, \([0-9]*\) stale pages released.*/\1/p' | tail -n 1)
[ "$released" = "$stale" ] || die "bind released '$released' stale pages, the index named $stale"
[ "$(counter frames_used)" = 0 ] || die "stale pages still mapped after bind"
[ "$(counter wear_sum)" -ge "$prev_sum" ] || die "engine wear_sum below the first boot's"
# The recovered device serves swap again.
swap=$(sh /guest/swap-setup.sh)
memstress --mib 200 --passes 1 || die "memstress after reboot failed"
swapoff "$swap" && unbind || die "swapoff/unbind failed"
set -- $(sh /guest/wear-summary.sh "$pmem")
echo "E2E-REBOOT2 held=$prev_used released=$released wear_max=$2 (was $prev_max) wear_sum=$3 (was $prev_sum)"

#!/bin/sh
# emulation/guest/e2e-reboot2.sh — second boot of the reboot test, bound
# by frontswap_nvm.device= on the command line (retried by the kernel until
# the asynchronously probed namespace appears): the namespace and its
# format survive, binding recovers the index and
# releases the stale pages of the first boot (the first boot saw
# fsnvm.prev_used just before power-off), and the wear read by
# `fsnvmctl wear` is not below the first boot's (fsnvm.prev_max,
# fsnvm.prev_sum on the command line).  Then one flipped bit in the
# primary superblock: bind uses the backup and repairs the primary.
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
max_before=$2 sum_before=$3
# One flipped bit in the primary superblock (nr_frames, byte 72): the tool
# and the bind read the backup, the bind rewrites the primary, no wear is
# lost.
b=$(od -An -tu1 -j72 -N1 "$pmem" | tr -d ' ')
printf "\\$(printf %03o $((b ^ 1)))" |
	dd of="$pmem" bs=1 seek=72 count=1 conv=notrunc,fsync 2>/dev/null ||
	die "cannot flip a bit in the primary superblock"
[ "$(od -An -tu1 -j72 -N1 "$pmem" | tr -d ' ')" = $((b ^ 1)) ] ||
	die "the flipped bit did not reach $pmem"
fsnvmctl check --json "$pmem" >/tmp/check.json 2>/dev/null
grep -q '"superblock_copy": *"backup"' /tmp/check.json ||
	die "check does not read the backup: $(cat /tmp/check.json | head -c 400)"
before=$(dmesg | wc -l)
bind "$pmem" || die "bind with a damaged primary superblock failed"
dmesg | tail -n +"$((before + 1))" | grep -q "primary superblock unusable.*bound with the backup" ||
	die "bind does not say it used the backup: $(dmesg | tail -n 5)"
dmesg | tail -n +"$((before + 1))" | grep -q "primary superblock rewritten from the backup" ||
	die "bind did not rewrite the primary"
unbind || die "unbind after the backup bind failed"
fsnvmctl check --json "$pmem" >/tmp/check.json 2>/dev/null
grep -q '"superblock_copy": *"primary"' /tmp/check.json ||
	die "the primary was not repaired: $(head -c 400 /tmp/check.json)"
set -- $(sh /guest/wear-summary.sh "$pmem")
[ "$2" -ge "$max_before" ] && [ "$3" -ge "$sum_before" ] ||
	die "wear went down across the backup bind: max $2 < $max_before or sum $3 < $sum_before"
log "a flipped bit in the primary superblock: bound with the backup, primary rewritten, wear kept"
echo "E2E-REBOOT2 held=$prev_used released=$released wear_max=$2 (was $prev_max) wear_sum=$3 (was $prev_sum)"

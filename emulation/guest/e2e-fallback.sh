#!/bin/sh
# emulation/guest/e2e-fallback.sh — a namespace smaller than what is
# swapped: once it is full the backend refuses stores (failed_stores > 0,
# refused_full > 0), those pages go to the disk swap device, and every page
# still reads back correctly.  Frames are reused here, so the balancer
# thread, tuned through its sysfs parameters to move every laggard, must
# run and move pages while they are loaded and stored (memstress checks
# every page it reads back).
. /guest/lib.sh
. /guest/backend.sh
ram_mib=$(ram_mib)
fresh_bind
total=$(counter frames_total)
params=/sys/module/frontswap_nvm/parameters
echo 1 >$params/balance_threshold && echo 1 >$params/balance_first_move &&
	echo 100 >$params/balance_interval_ms || die "cannot set the balancer tunables"
out0=$(sed -n 's/^pswpout //p' /proc/vmstat)
memstress --mib $((ram_mib * 2)) --passes 2 --same-filled || die "memstress: corrupt pages"
failed=$(counter failed_stores) full=$(counter refused_full) succ=$(counter succ_stores)
out=$(($(sed -n 's/^pswpout //p' /proc/vmstat) - out0))
log "frames_total=$total succ_stores=$succ failed_stores=$failed refused_full=$full pswpout=$out"
[ "$failed" -gt 0 ] && [ "$full" -gt 0 ] || die "the small namespace never refused a store"
[ "$succ" -gt 0 ] || die "nothing was stored in the namespace"
[ "$(counter load_errors)" = 0 ] || die "load errors"
runs=$(counter balancer_runs) moved=$(counter migrations)
log "balancer: $runs runs, $moved migrations, wear max $(counter wear_max)"
[ "$runs" -gt 0 ] || die "the balancer thread never ran a step"
[ "$moved" -gt 0 ] || die "the balancer never moved a page (threshold 1, first move x1)"
swapoff "$swap" || die "swapoff failed"
[ "$(counter frames_used)" = 0 ] || die "frames left after swapoff"
unbind || die "unbind failed"
echo "E2E-FALLBACK frames=$total stored=$succ refused=$failed balancer_runs=$runs migrations=$moved corrupt=0"

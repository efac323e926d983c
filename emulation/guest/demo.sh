#!/bin/sh
# emulation/guest/demo.sh — the user's journey (make demo): an fsdax
# namespace, formatted once (kept, with its wear, across runs), the backend
# bound to it, a swap-heavy verified workload, then the counters, the
# backend's stats and the wear report.  Kernel args: fsnvm.mib=N,
# fsnvm.passes=P (4).
# The workload is one that wears frames unevenly: a cold set swapped out
# once and left there, beside a working set rewritten pass after pass, so
# the balancer has cold pages to move onto worn frames.  Its thresholds are
# lowered to what a few minutes of swapping can reach (the defaults suit a
# machine that swaps for years).
. /guest/lib.sh
. /guest/backend.sh

ram_mib=$(ram_mib)
mib=$(param mib $((ram_mib * 2)))
passes=$(param passes 4)
cold_mib=$((ram_mib / 4))
P=/sys/module/frontswap_nvm/parameters

log "stage: namespace"
pmem=$(sh /guest/ns-setup.sh)
if fsnvmctl info "$pmem" >/dev/null 2>&1; then
	log "stage: $pmem already formatted (wear carried over from earlier runs)"
else
	log "stage: format $pmem"
	fsnvmctl format "$pmem" || die "format failed"
fi
fsnvmctl info "$pmem"
log "stage: bind (balancer: threshold 2, first move at 2 x 2 writes, every 200 ms)"
echo 2 >$P/balance_threshold
echo 2 >$P/balance_first_move
echo 200 >$P/balance_interval_ms
bind "$pmem" || die "bind failed"
dmesg | grep 'frontswap_nvm: bound' | tail -n 1
fsnvmctl list
swap=$(sh /guest/swap-setup.sh)
log "stage: workload: a cold set of $cold_mib MiB left in swap, then memstress --mib $mib --passes $passes (guest RAM ${ram_mib} MiB), every page verified"
hold /tmp/cold /tmp/cold.out --mib "$cold_mib" --passes 1 --seed 7
cold=$held
rc=0
memstress --mib "$mib" --passes "$passes" --same-filled | tee /tmp/memstress.out || rc=$?
rm -f /tmp/cold
wait "$cold" || rc=$?
tail -n 1 /tmp/cold.out
log "stage: report"
sh /guest/report.sh "$pmem"
swapoff "$swap" || die "swapoff failed"
stored=$(counter succ_stores) loaded=$(counter loads) failed=$(counter failed_stores)
moved=$(counter migrations) runs=$(counter balancer_runs)
unbind || die "unbind failed"
corrupt=$(cat /tmp/memstress.out /tmp/cold.out | sed -n 's/.*corrupt=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s }')
set -- $(sh /guest/wear-summary.sh "$pmem")
spread="min=$1,max=$2,writes=$3"
echo "DEMO-SUMMARY stored=$stored loaded=$loaded refused=$failed corrupt=${corrupt:-?} balancer_runs=$runs migrations=$moved wear=$spread"
exit "$rc"

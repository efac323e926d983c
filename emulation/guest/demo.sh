#!/bin/sh
# emulation/guest/demo.sh — the user's journey (make demo): an fsdax
# namespace, formatted once (kept, with its wear, across runs), the backend
# bound to it, a swap-heavy verified workload, then the counters, the
# backend's stats and the wear report.  Kernel args: fsnvm.mib=N.
. /guest/lib.sh
. /guest/backend.sh

ram_mib=$(ram_mib)
mib=$(param mib $((ram_mib * 2)))

log "stage: namespace"
pmem=$(sh /guest/ns-setup.sh)
if fsnvmctl info "$pmem" >/dev/null 2>&1; then
	log "stage: $pmem already formatted (wear carried over from earlier runs)"
else
	log "stage: format $pmem"
	fsnvmctl format "$pmem" || die "format failed"
fi
fsnvmctl info "$pmem"
log "stage: bind"
bind "$pmem" || die "bind failed"
dmesg | grep 'frontswap_nvm: bound' | tail -n 1
fsnvmctl list
swap=$(sh /guest/swap-setup.sh)
log "stage: workload: memstress --mib $mib (guest RAM ${ram_mib} MiB), every page verified"
rc=0
memstress --mib "$mib" --passes 2 --same-filled | tee /tmp/memstress.out || rc=$?
log "stage: report"
sh /guest/report.sh "$pmem"
swapoff "$swap" || die "swapoff failed"
stored=$(counter succ_stores) loaded=$(counter loads) failed=$(counter failed_stores)
unbind || die "unbind failed"
corrupt=$(sed -n 's/.*corrupt=\([0-9]*\).*/\1/p' /tmp/memstress.out | tail -n 1)
set -- $(sh /guest/wear-summary.sh "$pmem")
spread="min=$1,max=$2,writes=$3"
echo "DEMO-SUMMARY stored=$stored loaded=$loaded refused=$failed corrupt=${corrupt:-?} wear=$spread"
exit "$rc"

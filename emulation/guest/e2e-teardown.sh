#!/bin/sh
# emulation/guest/e2e-teardown.sh — the namespace torn down under a bound
# backend.  `ndctl disable-namespace` is refused (the backend holds the
# block device exclusively).  Unbinding nd_pmem through sysfs cannot be
# refused: kill_dax() tells the backend (dax holder notify_failure for the
# whole device), waits for the media accesses in flight, and the memory
# goes.  The backend must survive it: stores refused, loads of the pages
# that were there fail, no use of the unmapped memory (the debug kernel's
# KASAN and page-table checks would report it), a clear log line, an
# unbind that works, and a rebind once the namespace is back.
. /guest/lib.sh
. /guest/backend.sh

ram=$(ram_mib)
fresh_bind
name=${pmem#/dev/}
drv=$(basename "$(readlink "/sys/block/$name/device")")
ns=$(ndctl list -N | tr -d ' \n' | sed -n 's/.*"dev":"\(namespace[0-9.]*\)".*/\1/p' | head -n 1)
log "$pmem: namespace $ns, nd_pmem device $drv"

# A process whose pages sit in the backend, and one swapping all along.
# Both swap their own pages out (MADV_PAGEOUT) without memory pressure:
# the pages lost with the namespace are theirs, not the shell's or init's,
# which would die of it.
hold /tmp/hold /tmp/held.out --mib $((ram / 4)) --passes 1 --pageout
soak --procs 1 --mib $((ram / 8)) --seconds 600 >/tmp/busy.out 2>&1 &
busy=$!
sleep 3
stored=$(counter frames_used)
[ "$stored" -gt 0 ] || die "nothing stored"

# 1. ndctl refuses: the block device is open exclusively.
if ndctl disable-namespace "$ns" 2>/tmp/ndctl.err; then
	die "ndctl disable-namespace succeeded under a bound backend"
fi
log "ndctl disable-namespace refused: $(tail -n 1 /tmp/ndctl.err)"
[ "$(bound)" = "$pmem" ] || die "no longer bound after the refusal"

# 2. The driver unbound by hand, while stores and loads run.
before=$(dmesg | wc -l)
echo "$drv" >/sys/bus/nd/drivers/nd_pmem/unbind || die "nd_pmem unbind failed"
dmesg | tail -n +"$((before + 1))" >/tmp/td.log
grep -q "the namespace is being torn down" /tmp/td.log || die "no teardown line: $(cat /tmp/td.log)"
grep -q "went away while bound: [0-9]* stored pages are lost" /tmp/td.log ||
	die "no loss line: $(cat /tmp/td.log)"
[ ! -e "$pmem" ] || die "$pmem still there"
grep -q '^device_gone 1$' "$FSNVM_DEBUGFS/stats" || die "stats do not say the device is gone"
refused=$(counter refused_unbound)
sleep 3
[ "$(counter refused_unbound)" -gt "$refused" ] || die "stores not refused after the teardown"

# The processes read back what they had: the lost pages fail their loads.
rm /tmp/hold
wait "$held" || log "held process: $(tail -n 1 /tmp/held.out) (its pages went with the namespace)"
kill "$busy" 2>/dev/null || :
wait "$busy" || :
swapoff "$swap" || die "swapoff failed"

# 3. Unbind works; the namespace comes back; a fresh bind and a clean run.
unbind || die "unbind of the dead device failed"
[ -z "$(bound)" ] || die "still bound"
echo "$drv" >/sys/bus/nd/drivers/nd_pmem/bind || die "nd_pmem bind failed"
for i in 1 2 3 4 5; do [ -b "$pmem" ] && break; sleep 1; done
[ -b "$pmem" ] || die "$pmem did not come back"
bind "$pmem" || die "rebind after the teardown failed"
swapon "$swap" || die "swapon failed"
memstress --mib "$ram" --passes 2 >/tmp/after.out || die "memstress after the rebind: $(tail -n 2 /tmp/after.out)"
swapoff "$swap"
unbind || die "final unbind failed"
echo "E2E-TEARDOWN: stored_before=$stored ndctl_refused=1 survived=1 rebound=1 corrupt_after=0"

#!/bin/sh
# emulation/guest/e2e-basic.sh — the kernel backend end to end (make check):
# refusals (raw namespace, unformatted, already bound, unbind while pages
# are held), then format + bind, swap a verified working set larger than
# RAM through the backend, take a CPU offline and back, check the
# counters, swapoff, unbind.
# Needs a fresh NVDIMM image (its namespace starts raw).
# Kernel args: fsnvm.mib=N working set (default 2 x RAM).
. /guest/lib.sh
. /guest/backend.sh

ram_mib=$(ram_mib)
mib=$(param mib $((ram_mib * 2)))

# 0. frontswap-nvm holds the frontswap slot: zswap, built in, lost it.
dmesg | grep -q 'frontswap_nvm: registered with frontswap' || die "backend did not register"
if [ -e /sys/module/zswap/parameters/enabled ]; then
	if echo Y >/sys/module/zswap/parameters/enabled 2>/dev/null; then
		die "zswap could be enabled: it holds the frontswap slot"
	fi
	log "zswap cannot be enabled: frontswap-nvm won the registration race"
fi

# The disks interrupt through MSI-X, not ACPI-routed INTx (see kernel.config).
grep -q 'MSI.*virtio' /proc/interrupts || die "virtio disks without MSI-X: $(grep virtio /proc/interrupts)"

# A balancer threshold of 0 would make pages bounce forever: refused.
if echo 0 >/sys/module/frontswap_nvm/parameters/balance_threshold 2>/dev/null; then
	die "balance_threshold=0 accepted"
fi

# 1. A raw namespace has no DAX: refused.
ndctl list -N | grep -q '"mode":"raw"' || die "expected a raw namespace on a fresh NVDIMM"
expect_refused /dev/pmem0 "Operation not supported" "must be in fsdax mode"

# 2. fsdax but not formatted: refused, nothing written.
pmem=$(sh /guest/ns-setup.sh)
expect_refused "$pmem" "No data available" "not formatted for frontswap-nvm"

# 3. Format, bind, bind again.
fsnvmctl format "$pmem" || die "fsnvmctl format failed"
bind "$pmem" || die "bind $pmem failed"
[ "$(bound)" = "$pmem" ] || die "device file reads '$(bound)'"
expect_refused "$pmem" "Device or resource busy" "already bound"
# The module parameter names a device on the command line only: at run
# time it reads the bound one and is read-only (a bind must not run under
# param_lock).
P=/sys/module/frontswap_nvm/parameters/device
[ "$(cat $P)" = "$pmem" ] || die "the device parameter reads '$(cat $P)'"
if ( echo >$P ) 2>/dev/null; then
	die "the device parameter accepted a write at run time"
fi
[ "$(bound)" = "$pmem" ] || die "a write of the device parameter changed the binding"
log "the device parameter is read-only at run time: $(ls -l $P | cut -c1-10)"
# fsnvmctl list (libndctl) sees the namespace, its mode, our format, the binding.
fsnvmctl list
fsnvmctl list --json | tr -d ' \n' >/tmp/list.json
for want in '"mode":"fsdax"' "\"device\":\"$pmem\"" '"format":"frontswap-nvm"' '"bound":true'; do
	grep -q "$want" /tmp/list.json || die "fsnvmctl list --json lacks $want: $(cat /tmp/list.json)"
done

# 4. Swap through the backend, every page verified.
swap=$(sh /guest/swap-setup.sh)
log "memstress --mib $mib (RAM ${ram_mib} MiB)"
memstress --mib "$mib" --passes 2 --same-filled || die "memstress failed"

succ=$(counter succ_stores) loads=$(counter loads)
lerr=$(counter load_errors) cerr=$(counter crc_errors) used=$(counter frames_used)
log "succ_stores=$succ loads=$loads load_errors=$lerr crc_errors=$cerr frames_used=$used same_filled=$(counter same_filled)"
[ "$succ" -gt 0 ] || die "no page was stored in the backend"
[ "$loads" -gt 0 ] || die "no page was loaded from the backend"
[ "$lerr" = 0 ] && [ "$cerr" = 0 ] || die "load errors: $lerr, crc errors: $cerr"
[ "$(counter same_filled)" -gt 0 ] || die "no same-filled page was seen"

# 4b. A CPU going offline hands its stash of free frames back (the hotplug
# callback, whose logic tests/writer_gone_test.c checks): the frames still
# add up, pages stay intact, and the console shows no lockdep report.
# Every frame is used, free (pool or stash) or bad, in one stats snapshot.
frames_add_up() {
	awk '$1 == "frames_total" { t = $2 } $1 == "frames_used" { u = $2 }
	     $1 == "frames_free" { f = $2 } $1 == "frames_bad" { b = $2 }
	     END { print u "+" f "+" b "=" t; exit !(t > 0 && u + f + b == t) }' \
		"$FSNVM_DEBUGFS/stats"
}
if [ -w /sys/devices/system/cpu/cpu1/online ]; then
	sums=$(frames_add_up) || die "frames do not add up before cpu1 offline: $sums"
	echo 0 >/sys/devices/system/cpu/cpu1/online || die "cpu1 offline failed"
	sums_off=$(frames_add_up) || die "frames lost at cpu1 offline: $sums -> $sums_off"
	log "cpu1 offline: used+free+bad=total $sums -> $sums_off"
	echo 1 >/sys/devices/system/cpu/cpu1/online || die "cpu1 online failed"
	memstress --mib $((mib / 4)) --passes 1 || die "memstress after cpu1 came back failed"
fi

# 5. Unbind while pages are stored: refused.
[ "$used" -gt 0 ] || die "no pages held before swapoff"
expect_refused "" "Device or resource busy" "cannot unbind"

sh /guest/report.sh "$pmem"

# 6. swapoff brings every page back and empties the backend; then unbind.
swapoff "$swap" || die "swapoff failed"
used=$(counter frames_used)
[ "$used" = 0 ] || die "$used frames still used after swapoff"
succ=$(counter succ_stores) loads=$(counter loads)
unbind || die "unbind failed"
[ -z "$(bound)" ] || die "still bound after unbind"
# Events count since boot; what describes a namespace goes with it.
[ "$(counter succ_stores)" = "$succ" ] && [ "$(counter loads)" = "$loads" ] ||
	die "counters lost at unbind: succ_stores $(counter succ_stores) (was $succ)"
[ "$(counter frames_total)" = 0 ] || die "frames_total survives the unbind"
grep -q '^frontswap-nvm-stats 2$' "$FSNVM_DEBUGFS/stats" || die "stats version"
# Unbound, nothing moves: sysfs (one value per file) and debugfs's stats
# file hold the same counters, name for name.
n=0
while read -r name value; do
	case $name in frontswap-nvm-stats | device) continue ;; esac
	[ "$(cat "$FSNVM_SYSFS/stats/$name")" = "$value" ] ||
		die "sysfs stats/$name reads '$(cat "$FSNVM_SYSFS/stats/$name" 2>&1)', debugfs $value"
	n=$((n + 1))
done <"$FSNVM_DEBUGFS/stats"
[ "$n" -gt 20 ] && [ "$(ls "$FSNVM_SYSFS/stats" | wc -l)" = "$n" ] ||
	die "sysfs has $(ls "$FSNVM_SYSFS/stats" | wc -l) counters, debugfs $n"
log "sysfs and debugfs agree on all $n counters"
fsnvmctl stats | grep -q "^succ_stores  *$succ$" || die "fsnvmctl stats after unbind"
fsnvmctl stats --json | grep -q '"device":null' || die "fsnvmctl stats (sysfs) shows a device after unbind"
fsnvmctl check "$pmem" || die "fsnvmctl check found damage after unbind"
echo "E2E-BASIC: stored=$succ loaded=$loads corrupt=0 load_errors=$lerr"

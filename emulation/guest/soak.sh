#!/bin/sh
# emulation/guest/soak.sh — the debug-kernel soak (make soak; a short cut
# in make check): a working set of several times RAM across processes,
# every page verified (emulation/soak.c: forks, MADV_PAGEOUT), while CPU 1
# goes offline and back, the second swap disk is swapped off and on, and
# between rounds the namespace is unbound and bound again; the balancer
# is tuned to move pages as often as it can and must have moved some.
# Kernel args (fsnvm.KEY=VALUE): factor (working set / RAM, default 3),
# procs (3), seconds per round (120), rounds (2).
# Needs two swap disks: run-qemu.sh --swap2-size.
. /guest/lib.sh
. /guest/backend.sh

ram=$(ram_mib)
factor=$(param factor 3)
procs=$(param procs 3)
secs=$(param seconds 120)
rounds=$(param rounds 2)
mib_each=$((ram * factor / procs))
P=/sys/module/frontswap_nvm/parameters

[ -b /dev/vdb ] || die "no /dev/vdb: run-qemu.sh --swap2-size"
grep -q 'MSI.*virtio' /proc/interrupts || die "virtio disks without MSI-X: $(grep virtio /proc/interrupts)"
# The balancer at its most eager: any lag of one write, checked often.
echo 1 >$P/balance_threshold
echo 1 >$P/balance_first_move
echo 10 >$P/balance_interval_ms

pmem=$(sh /guest/ns-setup.sh)
fsnvmctl format "$pmem" >/dev/null || die "format failed"
bind "$pmem" || die "bind failed"
mkswap /dev/vda >/dev/null && mkswap /dev/vdb >/dev/null || die "mkswap failed"
swapon /dev/vda && swapon /dev/vdb || die "swapon failed"

cpu_cycles=0 swapoff_cycles=0 swapoff_refused=0 rebinds=0
verified=0 pageouts=0 forks=0
round=1
while [ "$round" -le "$rounds" ]; do
	log "round $round: soak --procs $procs --mib $mib_each (RAM $ram MiB) for ${secs}s"
	soak --procs "$procs" --mib "$mib_each" --seconds "$secs" --seed "$round" >/tmp/soak.out &
	pid=$!
	n=0
	# Churn until the workload is done.
	while kill -0 "$pid" 2>/dev/null; do
		sleep 4
		n=$((n + 1))
		if [ -w /sys/devices/system/cpu/cpu1/online ]; then
			echo 0 >/sys/devices/system/cpu/cpu1/online || die "cpu1 offline failed"
			sleep 2
			echo 1 >/sys/devices/system/cpu/cpu1/online || die "cpu1 online failed"
			cpu_cycles=$((cpu_cycles + 1))
		fi
		if [ $((n % 3)) = 0 ] && kill -0 "$pid" 2>/dev/null; then
			# Its pages come back in and go out again through vda.
			if swapoff /dev/vdb 2>/tmp/swapoff.err; then
				swapoff_cycles=$((swapoff_cycles + 1))
			else	# out of memory for them: refused, not an error
				swapoff_refused=$((swapoff_refused + 1))
				log "swapoff /dev/vdb refused: $(cat /tmp/swapoff.err)"
			fi
			grep -q '^/dev/vdb ' /proc/swaps || swapon /dev/vdb || die "swapon vdb failed"
		fi
	done
	wait "$pid" || { cat /tmp/soak.out; die "soak failed in round $round"; }
	line=$(grep '^soak:' /tmp/soak.out) || die "no soak summary"
	log "$line"
	for k in verified pageouts forks; do
		v=$(echo "$line" | sed -n "s/.* $k=\([0-9]*\).*/\1/p")
		eval "$k=\$((\$$k + v))"
	done
	# Between rounds: everything was freed; let go of the namespace and
	# take it back (its wear kept), with swap off while unbound.
	swapoff /dev/vda && swapoff /dev/vdb || die "swapoff failed"
	used=$(counter frames_used)
	[ "$used" = 0 ] || die "$used frames used with every process gone"
	unbind || die "unbind failed"
	bind "$pmem" || die "rebind failed"
	rebinds=$((rebinds + 1))
	swapon /dev/vda && swapon /dev/vdb || die "swapon failed"
	round=$((round + 1))
done

succ=$(counter succ_stores) loads=$(counter loads) moves=$(counter migrations)
lerr=$(counter load_errors) cerr=$(counter crc_errors)
[ "$succ" -gt 0 ] && [ "$loads" -gt 0 ] || die "the backend stored $succ and loaded $loads"
[ "$moves" -gt 0 ] || die "the balancer moved no page (migrations=0)"
[ "$lerr" = 0 ] && [ "$cerr" = 0 ] || die "load errors $lerr, crc errors $cerr"
[ "$pageouts" -gt 0 ] || die "no MADV_PAGEOUT succeeded"
[ "$forks" -gt 0 ] || die "no fork was checked"
swapoff /dev/vda && swapoff /dev/vdb
unbind || die "final unbind failed"
fsnvmctl check "$pmem" >/dev/null || die "fsnvmctl check found damage"
echo "SOAK: rounds=$rounds seconds=$secs procs=$procs working_set_mib=$((mib_each * procs)) ram_mib=$ram stored=$succ loaded=$loads migrations=$moves verified=$verified pageouts=$pageouts forks=$forks cpu_cycles=$cpu_cycles swapoff_cycles=$swapoff_cycles swapoff_refused=$swapoff_refused rebinds=$rebinds corrupt=0"

#!/bin/sh
# emulation/guest/swapdev.sh — the swap device front end (fsnvm_swap.ko)
# on whatever kernel booted: Debian's stock 6.1 or 6.12, or ours.
#
#   fsnvm.phase=1  load the modules in /modules, format the namespace, bind
#                  it, refuse what must be refused, swap a verified workload
#                  onto /dev/fsnvm0 (memory pressure, MADV_PAGEOUT, fork),
#                  swapoff (every block freed but the swap header), unbind,
#                  the wear report; then the namespace torn down under the
#                  bound device (nd_pmem unbound by hand)
#   fsnvm.phase=2  the next boot: bind again without formatting; the wear
#                  and the swap header are still there (fsnvm.wear=N is
#                  phase 1's wear_max), swapon without mkswap, a workload,
#                  swapoff, unbind; then the namespace in raw and in devdax
#                  mode is refused, and the module unloads
# On a kernel with the frontswap backend too (ours), phase 1 first checks
# that each front end refuses the namespace the other holds.
# Prints SWAPDEV-PHASE<N> key=value... on success.
. /guest/lib.sh
phase=$(param phase 1)
sysfs=/sys/kernel/fsnvm_swap
disk=/dev/fsnvm0
ram_mib=$(ram_mib)

stat() { cat "$sysfs/stats/$1"; }

# A write to the device file that must fail with errno text $2.
refused() {
	local what=$1 want=$2 err
	if err=$(echo "$what" 2>&1 >"$sysfs/device"); then
		die "binding '$what' was accepted"
	fi
	case $err in *"$want"*) ;; *) die "binding '$what': '$err', want '$want'" ;; esac
}

for m in /modules/*.ko; do
	insmod "$m" || die "insmod $m failed"
done
log "kernel $(uname -r): modules loaded"
[ -d "$sysfs" ] || die "no $sysfs after loading fsnvm_swap"
# nd_pmem probes asynchronously.
i=0
until [ -e /sys/bus/nd/devices/region0 ]; do
	i=$((i + 1))
	[ $i -le 30 ] || die "no nvdimm region"
	sleep 1
done
dev=$(sh /guest/ns-setup.sh)

if [ "$phase" = 1 ]; then
	refused /dev/nonexistent "No such file"
	# A fresh namespace: not formatted, so not bound (the log says how).
	refused "$dev" "No data available"
	fsnvmctl format --force "$dev" >/tmp/format.out 2>&1 || { cat /tmp/format.out; die "format failed"; }
	fs=/sys/kernel/mm/frontswap_nvm/device
	cross=no
	if [ -w "$fs" ]; then
		echo "$dev" >"$fs" || die "frontswap bind failed"
		refused "$dev" "Device or resource busy"
		fsnvmctl list | grep -q "frontswap front end bound to $dev" ||
			die "fsnvmctl list does not show the frontswap binding"
		echo >"$fs" || die "frontswap unbind failed"
		cross=yes
	fi
	echo "$dev" >"$sysfs/device" || die "bind failed"
	[ -b "$disk" ] || die "no $disk after the bind"
	if [ "$cross" = yes ]; then
		if err=$(echo "$dev" 2>&1 >"$fs"); then
			die "frontswap bound the namespace the swap device holds"
		fi
		case $err in *"Device or resource busy"*) ;; *) die "frontswap bind: '$err'" ;; esac
	fi
	[ "$(cat $sysfs/device)" = "$dev" ] || die "device file says '$(cat $sysfs/device)'"
	refused "$dev" "Device or resource busy"
	lbs=$(cat /sys/block/fsnvm0/queue/logical_block_size)
	rot=$(cat /sys/block/fsnvm0/queue/rotational)
	blocks=$(($(cat /sys/block/fsnvm0/size) / 8))
	total=$(stat frames_total)
	[ "$lbs" = 4096 ] || die "logical block size $lbs"
	[ "$rot" = 0 ] || die "rotational"
	[ "$blocks" -gt 0 ] && [ "$blocks" -lt "$total" ] ||
		die "$blocks blocks on $total frames: no reserve"
	# A block never written reads as zeros.
	[ "$(dd if=$disk bs=4096 skip=7 count=1 2>/dev/null | tr -d '\000' | wc -c)" = 0 ] ||
		die "an unwritten block is not zeros"
	mkswap "$disk" >/dev/null || die "mkswap failed"
	swapon -d "$disk" || die "swapon failed"
	grep -q "^$disk" /proc/swaps || die "$disk not in /proc/swaps"
	used=$(stat frames_used)
	[ "$used" = 1 ] || die "$used blocks held after swapon --discard, want the header only"
	refused "" "Device or resource busy"
	rmmod fsnvm_swap 2>/dev/null && die "rmmod while swapon'd succeeded"
	fsnvmctl format --force "$dev" >/dev/null 2>&1 && die "fsnvmctl format of the bound namespace succeeded"
	fsnvmctl list >/tmp/list.out 2>&1 || { cat /tmp/list.out; die "fsnvmctl list failed"; }
	grep -q "swap-device front end bound to $dev" /tmp/list.out ||
		{ cat /tmp/list.out; die "fsnvmctl list does not show the swap device's binding"; }

	mib=$((ram_mib * 3 / 2))
	log "memstress: $mib MiB, 2 passes, on $ram_mib MiB of RAM"
	memstress --mib "$mib" --passes 2 >/tmp/ms1.out 2>&1 || { cat /tmp/ms1.out; die "memstress failed"; }
	tail -n 1 /tmp/ms1.out
	log "memstress --pageout: $((ram_mib / 2)) MiB"
	memstress --mib $((ram_mib / 2)) --pageout --same-filled >/tmp/ms2.out 2>&1 || { cat /tmp/ms2.out; die "memstress --pageout failed"; }
	tail -n 1 /tmp/ms2.out
	# Large folios (6.12's mTHP): swap writes one 64 KiB folio per bio
	# (and may read one back), which the device walks page by page.
	mthp=/sys/kernel/mm/transparent_hugepage/hugepages-64kB
	swpout=- swpin=-
	if [ -w "$mthp/enabled" ] && [ -r "$mthp/stats/swpout" ]; then
		echo always >"$mthp/enabled" || die "cannot enable 64 KiB mTHP"
		log "memstress --pageout on 64 KiB mTHP: $((ram_mib / 2)) MiB"
		memstress --mib $((ram_mib / 2)) --pageout --seed 3 >/tmp/ms3.out 2>&1 ||
			{ cat /tmp/ms3.out; die "memstress --pageout on mTHP failed"; }
		tail -n 1 /tmp/ms3.out
		echo never >"$mthp/enabled"
		swpout=$(cat "$mthp/stats/swpout")
		swpin=$(cat "$mthp/stats/swpin" 2>/dev/null || echo -)
		[ "$swpout" -gt 0 ] || die "no 64 KiB folio was swapped out: the multi-page path was not run"
	fi
	log "swapbench fork: $ram_mib MiB"
	swapbench --workload fork --mib "$ram_mib" >/tmp/fork.out 2>&1 || { cat /tmp/fork.out; die "swapbench fork failed"; }
	tail -n 1 /tmp/fork.out
	stores=$(stat succ_stores) loads=$(stat loads) inval=$(stat invalidates)
	filled=$(stat same_filled)
	[ "$stores" -gt 1000 ] || die "only $stores stores"
	[ "$loads" -gt 1000 ] || die "only $loads loads"
	[ "$inval" -gt 1000 ] || die "only $inval invalidates: freed slots not dropped"
	[ "$(stat failed_stores)" = 0 ] || die "$(stat failed_stores) failed stores"
	[ "$(stat load_errors)" = 0 ] || die "$(stat load_errors) load errors"
	fsnvmctl stats >/tmp/stats.out 2>&1 || { cat /tmp/stats.out; die "fsnvmctl stats failed"; }
	st=$(sed -n 's/^succ_stores  *//p' /tmp/stats.out)
	[ "$st" -ge "$stores" ] || { cat /tmp/stats.out; die "fsnvmctl stats: succ_stores '$st', sysfs $stores"; }
	swapoff "$disk" || die "swapoff failed"
	left=$(stat frames_used)
	[ "$left" = 1 ] || die "$left blocks held after swapoff, want the header only"
	wear=$(stat wear_max) writes=$(stat data_writes)
	echo "" >"$sysfs/device" || die "unbind failed"
	[ ! -e "$disk" ] || die "$disk still there after the unbind"
	echo "--- fsnvmctl wear $dev"
	fsnvmctl wear "$dev" --top 3 || die "fsnvmctl wear failed"

	# The namespace torn down under the bound device: ndctl refuses (the
	# device holds it exclusively); unbinding nd_pmem by hand cannot be
	# refused.  Then I/O fails, nothing else, the unbind works, and the
	# namespace comes back.  A teardown is a crash to the engine: its
	# CPU's newest write (block 3's) was not vouched for, so block 3
	# holds what was written or zeros, never anything else.
	name=${dev#/dev/}
	drv=$(basename "$(readlink "/sys/block/$name/device")")
	ns=$(ndctl list -N | tr -d ' \n' | sed -n 's/.*"dev":"\(namespace[0-9.]*\)".*/\1/p' | head -n 1)
	echo "$dev" >"$sysfs/device" || die "rebind failed"
	dd if=/dev/urandom of=/tmp/blk bs=4096 count=1 2>/dev/null
	dd if=/tmp/blk of="$disk" bs=4096 seek=3 count=1 conv=fsync 2>/dev/null || die "write of block 3 failed"
	if ndctl disable-namespace "$ns" >/dev/null 2>&1; then
		die "ndctl disable-namespace succeeded under a bound swap device"
	fi
	echo "$drv" >/sys/bus/nd/drivers/nd_pmem/unbind || die "nd_pmem unbind failed"
	[ "$(stat device_gone)" = 1 ] || die "device_gone is not 1 after the teardown"
	echo 3 >/proc/sys/vm/drop_caches
	if dd if="$disk" of=/tmp/back bs=4096 skip=3 count=1 iflag=direct 2>/dev/null; then
		die "a read after the teardown succeeded"
	fi
	echo "" >"$sysfs/device" || die "unbind of the torn-down device failed"
	echo "$drv" >/sys/bus/nd/drivers/nd_pmem/bind || die "nd_pmem bind failed"
	i=0
	until [ -b "$dev" ]; do
		i=$((i + 1))
		[ $i -le 10 ] || die "$dev did not come back"
		sleep 1
	done
	echo "$dev" >"$sysfs/device" || die "bind after the teardown failed"
	dd if="$disk" of=/tmp/back bs=4096 skip=3 count=1 2>/dev/null || die "read of block 3 failed"
	dd if=/dev/zero of=/tmp/zero bs=4096 count=1 2>/dev/null
	if cmp -s /tmp/blk /tmp/back; then
		teardown=kept
	elif cmp -s /tmp/zero /tmp/back; then
		teardown=dropped
	else
		die "block 3 holds neither what was written nor zeros after the teardown"
	fi
	echo "" >"$sysfs/device" || die "final unbind failed"
	echo "SWAPDEV-PHASE1 kernel=$(uname -r) cross=$cross blocks=$blocks frames=$total stores=$stores loads=$loads invalidates=$inval same_filled=$filled teardown=$teardown mthp_swpout=$swpout mthp_swpin=$swpin after_swapoff=$left wear_max=$wear data_writes=$writes corrupt=0"
else
	want_wear=$(param wear 0)
	echo "$dev" >"$sysfs/device" || die "bind after reboot failed"
	used=$(stat frames_used) wear=$(stat wear_max)
	[ "$used" = 1 ] || die "$used blocks after the reboot, want the swap header"
	[ "$wear" -ge "$want_wear" ] || die "wear_max $wear after the reboot, was $want_wear"
	swapon "$disk" || die "swapon without mkswap failed: the header was lost"
	mib=$((ram_mib * 3 / 2))
	memstress --mib "$mib" --passes 1 >/tmp/ms1.out 2>&1 || { cat /tmp/ms1.out; die "memstress failed"; }
	tail -n 1 /tmp/ms1.out
	swapoff "$disk" || die "swapoff failed"
	left=$(stat frames_used)
	[ "$left" = 1 ] || die "$left blocks held after swapoff"
	echo "" >"$sysfs/device" || die "unbind failed"
	# The wrong kinds of namespace, with the format still on the media.
	ndctl create-namespace -f -e namespace0.0 -m raw >/dev/null || die "raw namespace"
	refused "$dev" "Operation not supported"
	ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null || die "devdax namespace"
	dax=/dev/$(ndctl list -N -m devdax | sed -n 's/.*"chardev":"\([^"]*\)".*/\1/p' | head -n 1)
	[ -c "$dax" ] || die "no devdax character device ($dax)"
	refused "$dax" "Block device required"
	rmmod fsnvm_swap || die "rmmod failed"
	echo "SWAPDEV-PHASE2 kernel=$(uname -r) wear_before=$want_wear wear_after_bind=$wear after_swapoff=$left corrupt=0"
fi

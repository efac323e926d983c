#!/bin/sh
# emulation/guest/bench.sh — one boot of the guest benchmark
# (tests/bench/guest.sh): each round runs every workload once in every mode
# this boot can offer, the modes in an order that rotates from round to
# round and is reversed in even rounds, and prints one BENCH-ROW line per
# run; every page is verified.
#
# Modes: nvm    frontswap-nvm bound to a freshly formatted namespace, the
#               virtio disk /dev/vda behind it;
#        pmem   swap on the same namespace as a block device;
#        swapdev  the same engine as a swap block device (fsnvm_swap.ko,
#               from /modules) on the freshly formatted namespace;
#        disk   swap on /dev/vda alone;
#        zswap, zswap-big   zswap over /dev/vda with its default pool limit
#               and with max_pool_percent=fsnvm.bigpool (a boot with
#               frontswap_nvm.register=0 zswap.enabled=1).
# Wear: the nvm and swapdev runs read the namespace's wear (fsnvmctl wear --json), the
# pmem run the writes the kernel counted per slot of the namespace
# (frontswap_nvm.inplace_wear=1): BENCH-WEAR and BENCH-HIST lines.
#
# Kernel args (fsnvm.KEY=VALUE): modes (nvm,pmem,disk), workloads
# (random,same,skewed,seq,fork,stress-ng; aging on request), rounds (5),
# first (number of the
# first round, 1), ops (accesses per page, 2), bigpool (50), sets (1.5:
# working set / RAM; seq 4/3 of that, fork 2/3 before its copies),
# cold (0.95) and hot (0.015): aging's sets as shares of the namespace,
# passes (1000): aging's rewrites of its hot set, sng
# (stress-ng's seconds, 10; its row's "seconds" are per 1000 bogo ops),
# profile (0; 1: each run under perf record, its flat kernel+user profile
# printed as BENCH-PROF lines: the initramfs must have perf, see
# tests/bench/guest.sh profile; the timings are then perf's, not the run's).
. /guest/lib.sh

modes=$(param modes nvm,pmem,disk | tr , ' ')
workloads=$(param workloads random,same,skewed,seq,fork,stress-ng | tr , ' ')
rounds=$(param rounds 5)
first=$(param first 1)
ops=$(param ops 2)
bigpool=$(param bigpool 50)
sng=$(param sng 10)
sets=$(param sets 1.5)
cold=$(param cold 0.95)
hot=$(param hot 0.015)
passes=$(param passes 1000)
profile=$(param profile 0)
ram=$(ram_mib)
FSNVM_DEVICE=/sys/kernel/mm/frontswap_nvm/device
FSNVM_DEBUGFS=/sys/kernel/debug/frontswap_nvm
SWAPDEV=/sys/kernel/fsnvm_swap
ZSWAP=/sys/module/zswap/parameters

# MiB = RAM x sets x num / den
mib_of() { awk -v r="$ram" -v s="$sets" -v n="$1" -v d="$2" 'BEGIN { printf "%d", r * s * n / d }'; }
share_of() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%d", n * s }'; }
vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }

pmem=$(sh /guest/ns-setup.sh)
[ -b /dev/vda ] || die "no /dev/vda"
grep -q 'MSI.*virtio' /proc/interrupts || die "virtio disks without MSI-X"
log "RAM $ram MiB, namespace $pmem, modes: $modes, workloads: $workloads, rounds $first..$((first + rounds - 1))"
case " $modes " in
*" swapdev "*)
	ls /modules/*fsnvm_swap.ko >/dev/null 2>&1 || die "mode swapdev: no fsnvm_swap.ko in /modules"
	insmod /modules/*fsnvm_swap.ko || die "insmod fsnvm_swap failed"
	for p in balance_threshold balance_first_move balance_interval_ms; do
		# The same balancer settings as the frontswap backend's.
		cat "/sys/module/frontswap_nvm/parameters/$p" >"/sys/module/fsnvm_swap/parameters/$p" ||
			die "cannot copy $p"
	done ;;
esac

# The workload's command line; its MiB sized from RAM.
workload_cmd() {
	case $1 in
	random | same | skewed)
		echo "swapbench --workload $1 --mib $(mib_of 1 1) --ops-per-page $ops --seed $2" ;;
	seq) echo "swapbench --workload seq --mib $(mib_of 4 3) --seed $2" ;;
	fork) echo "swapbench --workload fork --mib $(mib_of 2 3) --seed $2" ;;
	aging)
		# Shares of the namespace: the cold set fills most of it, so
		# the hot set's rewrites land in what is left.
		ns=$(($(cat "/sys/class/block/${pmem#/dev/}/size") / 2048))
		echo "swapbench --workload aging --cold-mib $(share_of "$ns" "$cold")" \
			"--mib $(share_of "$ns" "$hot") --passes $passes --seed $2" ;;
	stress-ng)
		# Two workers sharing the set (stress-ng splits --vm-bytes between
		# them), each flipping the bits of its half and checking
		# them, for a fixed time: stress-ng's vm bogo ops are not a fixed
		# amount of work, its rate over a fixed time is.
		echo "stress-ng --vm 2 --vm-bytes $(mib_of 1 1)M --vm-keep --vm-method flip --verify --timeout ${sng}s --metrics-brief" ;;
	*) die "unknown workload $1" ;;
	esac
}

swap_on() { sh /guest/swap-setup.sh "$1" >/dev/null || die "swapon $1 failed"; }

mode_up() {
	case $1 in
	nvm)
		fsnvmctl format --force "$pmem" >/dev/null || die "format $pmem failed"
		echo "$pmem" >"$FSNVM_DEVICE" || die "bind $pmem failed"
		swap_on /dev/vda ;;
	pmem) swap_on "$pmem" ;;
	swapdev)
		fsnvmctl format --force "$pmem" >/dev/null || die "format $pmem failed"
		echo "$pmem" >"$SWAPDEV/device" || die "swap device bind $pmem failed"
		swap_on /dev/fsnvm0 ;;
	disk) swap_on /dev/vda ;;
	zswap | zswap-big)
		[ "$(cat $ZSWAP/enabled)" = Y ] || die "zswap is not enabled (boot with zswap.enabled=1)"
		if [ "$1" = zswap ]; then echo 20 >$ZSWAP/max_pool_percent; else echo "$bigpool" >$ZSWAP/max_pool_percent; fi
		swap_on /dev/vda ;;
	*) die "unknown mode $1" ;;
	esac
}

mode_down() {
	case $1 in
	nvm)
		swapoff /dev/vda || die "swapoff /dev/vda failed"
		echo >"$FSNVM_DEVICE" || die "unbind failed" ;;
	pmem) swapoff "$pmem" || die "swapoff $pmem failed" ;;
	swapdev)
		swapoff /dev/fsnvm0 || die "swapoff /dev/fsnvm0 failed"
		echo >"$SWAPDEV/device" || die "swap device unbind failed" ;;
	*) swapoff /dev/vda || die "swapoff /dev/vda failed" ;;
	esac
}

# The counter of the front end the mode runs, or 0 without one.
counter() {
	if [ "$mode" = swapdev ]; then
		cat "$SWAPDEV/stats/$1" 2>/dev/null || echo 0
	else
		cat "$FSNVM_DEBUGFS/$1" 2>/dev/null || echo 0
	fi
}

# BENCH-HIST lines from "lo hi count" lines on stdin.
hist_lines() {
	while read -r lo hi n; do
		echo "BENCH-HIST workload=$1 round=$2 kind=$3 from=$lo to=$hi frames=$n"
	done
}

# The namespace's wear after an nvm or swapdev run (KIND: the mode).
wear_nvm() {
	fsnvmctl wear "$pmem" --json >/tmp/wear.json || die "fsnvmctl wear failed"
	total=$(jnum total </tmp/wear.json) bad=$(jnum bad </tmp/wear.json)
	sum=$(jnum sum </tmp/wear.json) max=$(jnum max </tmp/wear.json)
	echo "BENCH-WEAR workload=$1 round=$2 kind=$3 frames=$((total - bad)) writes=$sum max=$max"
	{ tr -d ' \n' </tmp/wear.json; echo; } | sed 's/.*"histogram":\[\([^]]*\)\].*/\1/; s/},{/\n/g' |
		sed -n 's/.*"from":\([0-9]*\),"to":\([0-9]*\),"frames":\([0-9]*\).*/\1 \2 \3/p' |
		hist_lines "$1" "$2" "$3"
}

# The writes swap made to each slot of the namespace in a pmem run.
wear_inplace() {
	f=$FSNVM_DEBUGFS/inplace_wear
	[ -r "$f" ] || die "no $f: boot with frontswap_nvm.inplace_wear=1"
	dev=$(cat "/sys/class/block/${pmem#/dev/}/dev")
	cat "$f" >/tmp/inplace
	line=$(awk -v d="$dev" '$1 == "type" && $4 == d' /tmp/inplace | tail -n 1)
	[ -n "$line" ] || die "inplace_wear has no swap type on $dev: $(cat /tmp/inplace)"
	set -- $line
	echo "BENCH-WEAR workload=$workload round=$round kind=inplace frames=$6 writes=$8 max=${12}"
	awk -v t="$2" '$1 == "type" { on = ($2 == t) } on && $1 == "bin" { split($3, r, "-"); print r[1], r[2], $4 }' /tmp/inplace |
		hist_lines "$workload" "$round" inplace
}

# BENCH-PROF lines: the run's samples by symbol (kernel and user), the
# busiest first, then the samples in total.
profile_lines() {
	perf report -i /tmp/perf.data --stdio --no-children --sort sym \
		--percent-limit 0.3 2>/dev/null |
		awk -v m="$1" -v w="$2" '
			/^# Samples:/ { n = $3 }
			/^ *[0-9.]+%/ { s = $0; sub(/^ */, "", s); print "BENCH-PROF mode=" m " workload=" w " " s }
			END { print "BENCH-PROF mode=" m " workload=" w " samples=" n }'
	# Who takes the contended locks and sends the IPIs: their callers.
	perf report -i /tmp/perf.data --stdio --no-children --sort sym \
		-S queued_spin_lock_slowpath,smp_call_function_many_cond \
		-g callee,0.5,5 --max-stack 8 2>/dev/null |
		grep -v '^#' | grep -v '^$' | sed "s/^/BENCH-PROF-CALLERS mode=$1 workload=$2 /"
	rm -f /tmp/perf.data
}

round=$first
last=$((first + rounds - 1))
while [ "$round" -le "$last" ]; do
	# Rotate the mode order by the round number, and reverse it in even
	# rounds: a rotation alone keeps each mode behind the same one in
	# every round (after the disk's swapoff, say), which would bias it.
	order=$(echo $modes | awk -v r="$round" '{ for (i = 0; i < NF; i++) { j = r % 2 ? i : NF - 1 - i; printf "%s ", $((r - 1 + j) % NF + 1) } }')
	for workload in $workloads; do
		for mode in $order; do
			cmd=$(workload_cmd "$workload" "$round")
			mode_up "$mode"
			out0=$(vmstat pswpout) in0=$(vmstat pswpin)
			st0=$(counter succ_stores) ld0=$(counter loads) fl0=$(counter failed_stores)
			rc=0
			if [ "$profile" = 1 ]; then
				perf record -q -e cpu-clock -F 499 -a -g -o /tmp/perf.data -- \
					$cmd >/tmp/run.out 2>&1 || rc=$?
			else
				$cmd >/tmp/run.out 2>&1 || rc=$?
			fi
			if [ "$rc" != 0 ]; then
				tail -n 20 /tmp/run.out
				die "$workload in mode $mode failed (rc $rc)"
			fi
			case $workload in
			stress-ng)	# seconds per 1000 bogo ops
				secs=$(awk '$4 == "vm" && $5 > 0 { printf "%.3f", 1000 * $6 / $5 }' /tmp/run.out)
				[ -n "$secs" ] || die "no stress-ng vm metrics: $(tail -n 5 /tmp/run.out)"
				grep -a 'vm ' /tmp/run.out >&2 ;;
			*) secs=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' /tmp/run.out) ;;
			esac
			echo "BENCH-ROW mode=$mode workload=$workload round=$round seconds=$secs" \
				"pswpout=$(($(vmstat pswpout) - out0)) pswpin=$(($(vmstat pswpin) - in0))" \
				"stores=$(($(counter succ_stores) - st0)) loads=$(($(counter loads) - ld0))" \
				"refused=$(($(counter failed_stores) - fl0))"
			[ "$profile" != 1 ] || profile_lines "$mode" "$workload"
			case $mode in
			nvm | swapdev) wear_nvm "$workload" "$round" "$mode" ;;
			pmem) wear_inplace ;;
			esac
			mode_down "$mode"
		done
	done
	round=$((round + 1))
done
echo "BENCH-DONE rounds=$rounds"

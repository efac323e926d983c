#!/usr/bin/env bash
# The guest benchmark (make bench-guest; a quick cut in make check): the
# release kernel in QEMU runs emulation/guest/bench.sh three times, once
# with frontswap-nvm registered (modes nvm, pmem, disk and swapdev, the
# swap device module, alternate inside the boot), once with zswap in
# frontswap's slot (zswap, zswap-big), and once for the wear workload
# (aging: nvm, pmem and swapdev on a namespace mostly full of cold pages,
# BENCH_WEAR_ROUNDS rounds, default 1), and
# tests/bench/guest_report.c turns the two console logs into
# tests/bench/results-guest.json, the chart and the README table.
# usage: tests/bench/guest.sh quick|full|profile   (full: BENCH_ROUNDS, default 5)
#   BENCH_BOOTS (default "main zswap wear"): the boots to run; a subset
#   reports on its own consoles only, to results-guest-BOOT-BOOT.* (the
#   wear boot alone: results-guest-wear.*).
#   quick: one small round of everything; asserts that every mode ran every
#   workload with every page verified, and writes to build/bench/ only.
#   profile: the full run's sizes, one round of modes nvm and pmem (or
#   BENCH_MODES) on BENCH_WORKLOADS (random,seq), each under perf in the
#   guest -> tests/bench/profile-guest.txt (make bench-profile).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
case ${1:-quick} in
quick) mem=160 rounds=1 ops=1 sets=1.2 sng=4 nvdimm=512M swap=1G timeout=1500
	wear_rounds=1 passes=20 out=$top/build/bench ;;
full) mem=256 rounds=${BENCH_ROUNDS:-5} ops=2 sets=1.5 sng=10 nvdimm=1G swap=2G timeout=10800
	wear_rounds=${BENCH_WEAR_ROUNDS:-1} passes=1000 out=$top/tests/bench ;;
profile) mem=256 ops=2 sets=1.5 sng=10 nvdimm=1G swap=2G timeout=3600 ;;
*) echo "usage: $0 quick|full|profile" >&2; exit 2 ;;
esac
if [ "$1" = profile ]; then
	"$top/scripts/build-guest.sh" --perf
	"$top/tests/e2e/run-guest.sh" bench-profile --run bench \
		--initrd "$top/build/emu/initramfs-perf.cpio.gz" --mem "$mem" \
		--nvdimm-size "$nvdimm" --swap-size "$swap" --timeout "$timeout" \
		--append "frontswap_nvm.inplace_wear=1 fsnvm.profile=1 fsnvm.rounds=1 fsnvm.ops=$ops fsnvm.sets=$sets fsnvm.sng=$sng fsnvm.modes=${BENCH_MODES:-nvm,pmem} fsnvm.workloads=${BENCH_WORKLOADS:-random,seq}"
	log=$top/build/emu/bench-profile/console.log
	grep -q '^BENCH-DONE' "$log" || { echo "bench-profile: the guest did not finish" >&2; exit 1; }
	{
		echo "# perf record -e cpu-clock -F 499 -a -g in the guest, $(date -u +%F), guest ${mem} MiB, ${nvdimm} NVDIMM"
		grep -a -e '^BENCH-ROW' -e "^BENCH-PROF" "$log" | tr -d '\r'
	} >"$top/tests/bench/profile-guest.txt"
	echo "bench-profile: $top/tests/bench/profile-guest.txt"
	exit 0
fi
mkdir -p "$out" "$top/build/bench"
make -s -C "$top" "$top/build/user/guest_report"
common=(--initrd "$top/build/emu/initramfs-bench.cpio.gz" --mem "$mem" --nvdimm-size "$nvdimm"
	--swap-size "$swap" --timeout "$timeout")
args="fsnvm.rounds=$rounds fsnvm.ops=$ops fsnvm.sets=$sets fsnvm.sng=$sng"
# The wear boot's balancer: moves when free frames are 2 writes more worn
# than the coldest data, from a frame's second such step (the demo's). A
# fixed threshold is noise against a device's lifetime of writes; against
# this run's few hundred it would be most of the spread.
wear_balancer="frontswap_nvm.balance_threshold=2 frontswap_nvm.balance_first_move=2 frontswap_nvm.balance_interval_ms=200"
start=$SECONDS
boots=${BENCH_BOOTS:-main zswap wear}
name=results-guest logs=()
[ "$boots" = "main zswap wear" ] || name=results-guest-$(echo $boots | tr ' ' -)
for boot in $boots; do
	case $boot in
	main) logs+=("$top/build/emu/bench/console.log")
		"$top/tests/e2e/run-guest.sh" bench "${common[@]}" \
		--append "frontswap_nvm.inplace_wear=1 fsnvm.modes=nvm,pmem,disk,swapdev $args" ;;
	zswap) logs+=("$top/build/emu/bench-zswap/console.log")
		"$top/tests/e2e/run-guest.sh" bench-zswap "${common[@]}" --run bench \
		--append "frontswap_nvm.register=0 zswap.enabled=1 fsnvm.modes=zswap,zswap-big $args" ;;
	wear) logs+=("$top/build/emu/bench-wear/console.log")
		"$top/tests/e2e/run-guest.sh" bench-wear "${common[@]}" --run bench \
		--append "frontswap_nvm.inplace_wear=1 $wear_balancer fsnvm.modes=nvm,pmem,swapdev fsnvm.workloads=aging fsnvm.rounds=$wear_rounds fsnvm.passes=$passes" ;;
	*) echo "BENCH_BOOTS: unknown boot $boot (main, zswap, wear)" >&2; exit 2 ;;
	esac
done
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
machine="QEMU TCG, guest ${mem} MiB RAM, 2 vCPUs, ${nvdimm} NVDIMM; host $(nproc) x $cpu; $rounds rounds (aging $wear_rounds)"
# Every mode and workload of the three boots is required; a subset of
# boots reports what its modes ran.
require=()
[ "$boots" != "main zswap wear" ] || require=(--require-all)
"$top/build/user/guest_report" \
	--json "$out/.$name.json" --svg "$out/.$name.svg" \
	--machine "$machine" "${require[@]}" "${logs[@]}" >"$out/.$name.md" ||
	{ rm -f "$out/.$name".*; exit 1; }
# Only a report that passed replaces the last one.
for ext in json svg md; do mv "$out/.$name.$ext" "$out/$name.$ext"; done
cat "$out/$name.md"
echo "bench-guest: $rounds round(s) in $((SECONDS - start)) s; $out/$name.{json,svg,md}"

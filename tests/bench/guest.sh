#!/usr/bin/env bash
# The guest benchmark (make bench-guest; a quick cut in make check): the
# release kernel in QEMU runs emulation/guest/bench.sh twice, once with
# frontswap-nvm registered (modes nvm, pmem, disk alternate inside the
# boot) and once with zswap in frontswap's slot (zswap, zswap-big), and
# tests/bench/guest_report.c turns the two console logs into
# tests/bench/results-guest.json, the chart and the README table.
# usage: tests/bench/guest.sh quick|full     (full: BENCH_ROUNDS, default 5)
#   quick: one small round of everything; asserts that every mode ran every
#   workload with every page verified, and writes to build/bench/ only.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
case ${1:-quick} in
quick) mem=160 rounds=1 ops=1 sets=1.2 sng=4 nvdimm=512M swap=1G timeout=1500
	out=$top/build/bench ;;
full) mem=256 rounds=${BENCH_ROUNDS:-5} ops=2 sets=1.5 sng=10 nvdimm=1G swap=2G timeout=10800
	out=$top/tests/bench ;;
*) echo "usage: $0 quick|full" >&2; exit 2 ;;
esac
mkdir -p "$out" "$top/build/bench"
make -s -C "$top" "$top/build/user/guest_report"
common=(--initrd "$top/build/emu/initramfs-bench.cpio.gz" --mem "$mem" --nvdimm-size "$nvdimm"
	--swap-size "$swap" --timeout "$timeout")
args="fsnvm.rounds=$rounds fsnvm.ops=$ops fsnvm.sets=$sets fsnvm.sng=$sng"
start=$SECONDS
"$top/tests/e2e/run-guest.sh" bench "${common[@]}" \
	--append "frontswap_nvm.inplace_wear=1 fsnvm.modes=nvm,pmem,disk $args"
"$top/tests/e2e/run-guest.sh" bench-zswap "${common[@]}" --run bench \
	--append "frontswap_nvm.register=0 zswap.enabled=1 fsnvm.modes=zswap,zswap-big $args"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
machine="QEMU TCG, guest ${mem} MiB RAM, 2 vCPUs, ${nvdimm} NVDIMM; host $(nproc) x $cpu; $rounds rounds"
"$top/build/user/guest_report" --json "$out/results-guest.json" --svg "$out/results-guest.svg" \
	--machine "$machine" --require-all \
	"$top/build/emu/bench/console.log" "$top/build/emu/bench-zswap/console.log" |
	tee "$out/results-guest.md"
echo "bench-guest: $rounds round(s) in $((SECONDS - start)) s; $out/results-guest.{json,svg,md}"

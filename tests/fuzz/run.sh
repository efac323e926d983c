#!/usr/bin/env bash
# Run the fuzz targets (tests/fuzz/README.md), one after the other, one
# worker each:
#   tests/fuzz/run.sh [SECONDS] [TARGET...]   SECONDS each (default 20)
#   FUZZ_RUNS=N tests/fuzz/run.sh 0 [TARGET...]   N executions each instead
#   tests/fuzz/run.sh --merge [TARGET...]   minimize what the runs found,
#       with the committed corpus, into tests/fuzz/corpus/TARGET (commit it);
#       the reproducers of bugs found, corpus/TARGET/repro-*, are kept
# Each run starts from the committed corpus (tests/fuzz/corpus/TARGET) and
# from seeds made here from real images (formatted, filled through the
# engine, damaged by fill_image forge).  New inputs go to
# build/fuzz/corpus/TARGET (kept between runs), crashes to
# build/fuzz/TARGET-crash-*, the log to build/fuzz/TARGET.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
U=build/user
W=build/fuzz
merge=0
if [ "${1:-}" = --merge ]; then
	merge=1
	shift
fi
secs=${1:-20}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_super fuzz_recover fuzz_tool)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- seeds from real images ----------------------------------------------
# Operations for fuzz_recover.c: stores, loads, invalidations, a balancer
# step, over types 0..1 and a few offsets; --top 5 for fuzz_tool.c.
ops=0010012102300338041005200620070009110a3103200400060807a1
rm -rf "$W/seeds"
mkdir -p "$W/seeds"/{fuzz_super,fuzz_recover,fuzz_tool}
seed() {	# NAME IMAGE
	$U/fuzz_seed super "$2" "$W/seeds/fuzz_super/$1"
	$U/fuzz_seed image "$2" "$W/seeds/fuzz_recover/$1" "$ops"
	$U/fuzz_seed image "$2" "$W/seeds/fuzz_tool/$1" 05
}
forge() {	# NAME WHAT [FRAME]: a damaged copy of the filled image
	cp "$tmp/img" "$tmp/$1"
	$U/fill_image forge "$tmp/$1" "${@:2}" >/dev/null
	case $2 in
	super-*) $U/fuzz_seed super "$tmp/$1" "$W/seeds/fuzz_super/$1" ;;
	*) seed "$1" "$tmp/$1" ;;
	esac
}
truncate -s 1M "$tmp/img"
$U/fsnvmctl format --force "$tmp/img" >/dev/null
seed empty "$tmp/img"
truncate -s $((1024 * 1024 + 3 * 4096)) "$tmp/img3"
$U/fsnvmctl format --force --data-crc "$tmp/img3" >/dev/null
seed empty3-datacrc "$tmp/img3"
truncate -s 64M "$tmp/big"
$U/fsnvmctl format --force "$tmp/big" >/dev/null
$U/fuzz_seed super "$tmp/big" "$W/seeds/fuzz_super/big"
$U/fill_image fill "$tmp/img" 40 --rewrites 5 >/dev/null
seed filled "$tmp/img"
for what in entry-flip entry-flags entry-range entry-badkey entry-wear \
	    entry-reserved entry-writer entry-uncommitted entry-retired \
	    super-flip super-version super-incompat super-reserved; do
	forge "$what" "$what"
done
forge dup dup free
forge dup-same dup-same free
$U/fill_image fill "$tmp/img3" 30 >/dev/null
seed datacrc "$tmp/img3"
cp "$tmp/img3" "$tmp/img3-flip"
$U/fill_image forge "$tmp/img3-flip" data-flip >/dev/null
seed datacrc-flip "$tmp/img3-flip"

if [ $merge = 1 ]; then
	for t in "${targets[@]}"; do
		mkdir -p "$tmp/m-$t" "$W/corpus/$t" "tests/fuzz/corpus/$t"
		$U/$t -merge=1 -max_len=2048 "$tmp/m-$t" "tests/fuzz/corpus/$t" \
			"$W/corpus/$t" "$W/seeds/$t" 2>"$W/$t-merge.log"
		# the named reproducers (repro-*) stay as they are
		find "tests/fuzz/corpus/$t" -type f ! -name 'repro-*' -delete
		cp "$tmp/m-$t"/* "tests/fuzz/corpus/$t/"
		echo "$t: corpus $(ls "tests/fuzz/corpus/$t" | wc -l) files," \
			"$(du -sk "tests/fuzz/corpus/$t" | cut -f1) KB"
	done
	exit 0
fi

fail=0
for t in "${targets[@]}"; do
	mkdir -p "$W/corpus/$t" "tests/fuzz/corpus/$t"
	if [ -n "${FUZZ_RUNS:-}" ]; then
		limit=(-runs="$FUZZ_RUNS")
	else
		limit=(-max_total_time="$secs")
	fi
	if ! $U/$t "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=2048 \
		-print_final_stats=1 -artifact_prefix="$W/$t-" \
		"$W/corpus/$t" "tests/fuzz/corpus/$t" "$W/seeds/$t" \
		2>"$W/$t.log"; then
		tail -n 30 "$W/$t.log"
		echo "$t: FAILED (log $W/$t.log)"
		fail=1
		continue
	fi
	runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$W/$t.log" | grep -o '[0-9]*$')
	rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$W/$t.log" | grep -o '[0-9]*$')
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$W/$t.log" | tail -n 1)
	echo "$t: no crash in $runs runs ($rate/s), $cov, corpus" \
		"$(ls "tests/fuzz/corpus/$t" | wc -l) committed + $(ls "$W/corpus/$t" | wc -l) new"
done
exit $fail

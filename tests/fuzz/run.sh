#!/usr/bin/env bash
# Fuzz the media parser (fuzz_media.c) for SECONDS (default 20, what
# `make check` runs), from a seed corpus made here from real images:
# formatted, filled through the engine, with data crc, and damaged by
# fill_image forge.  New inputs go to build/fuzz/corpus (kept between
# runs, so longer runs build on earlier ones); crashes to build/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-20}
U=build/user
W=build/fuzz
mkdir -p "$W/seeds" "$W/corpus"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# seed: CTL PAGES IMAGE -> ctl byte, size byte, superblock, index
seed() {
	local ctl=$1 img=$2 out=$3 frames
	frames=$($U/fsnvmctl info --json "$img" | jq .nr_frames)
	{
		printf "\\x$(printf %02x "$ctl")\\x00"
		dd if="$img" bs=256 count=1 status=none
		dd if="$img" bs=64 skip=64 count="$frames" status=none
	} >"$out"
}

truncate -s 1M "$tmp/img"
$U/fsnvmctl format --force "$tmp/img" >/dev/null
seed 0 "$tmp/img" "$W/seeds/empty"
$U/fill_image fill "$tmp/img" 200 --rewrites 10 >/dev/null
seed 0 "$tmp/img" "$W/seeds/filled"
seed 3 "$tmp/img" "$W/seeds/filled-reseal"
cp "$tmp/img" "$tmp/dup"
$U/fill_image forge "$tmp/dup" dup free >/dev/null
seed 2 "$tmp/dup" "$W/seeds/dup"
cp "$tmp/img" "$tmp/torn"
$U/fill_image forge "$tmp/torn" entry-flip >/dev/null
seed 0 "$tmp/torn" "$W/seeds/torn"
$U/fsnvmctl format --force --data-crc "$tmp/img" >/dev/null
$U/fill_image fill "$tmp/img" 100 >/dev/null
seed 4 "$tmp/img" "$W/seeds/datacrc"
printf '\x01\x00' >"$W/seeds/short"

echo "fuzz_media: $secs s from $(ls "$W/seeds" | wc -l) seeds"
$U/fuzz_media -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=20000 -print_final_stats=1 -artifact_prefix="$W/" \
	"$W/corpus" "$W/seeds" 2>"$W/fuzz.log" || {
	tail -n 40 "$W/fuzz.log"
	echo "fuzz_media: FAILED (log $W/fuzz.log)"
	exit 1
}
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$W/fuzz.log" | grep -o '[0-9]*$')
cov=$(grep -o 'cov: [0-9]*' "$W/fuzz.log" | tail -n 1)
echo "fuzz_media: no crash in $runs runs, $cov, corpus $(ls "$W/corpus" | wc -l)"

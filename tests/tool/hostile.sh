#!/usr/bin/env bash
# Hostile entries, crcs resealed (fill_image forge): counters no engine
# writes (wear, seq, vouch seq or writer ids beyond their bounds,
# fsnvm_layout.h) and all-0xff lines.  check, wear and format --keep-wear must agree on what a
# torn or implausible entry is (one function decides) and on its wear:
# the highest wear of the trusted entries, never its own field.  None of
# them may crash, and check must not call such an image clean.
. "$(dirname "$0")/lib.sh"

U64_MAX=18446744073709551615
base=$TMP/base
truncate -s 4M "$base"
"$T" format "$base" >/dev/null
"$FILL" fill "$base" 600 --rewrites 10 >/dev/null
"$FILL" wear "$base" >"$TMP/w0.json"
max0=$(jq max "$TMP/w0.json")

# forged NAME FORGE-ARGS...: a copy of base with one entry forged; prints
# the frame
forged() {
	local name=$1
	shift
	cp "$base" "$TMP/$name"
	"$FILL" forge "$TMP/$name" "$@"
}

# agree IMG FRAME KIND: check names the frame (error KIND), counts it
# untrusted like recovery does; wear counts it untrusted at the highest
# trusted wear; format --keep-wear gives it that wear and reports the same
# max and total as wear did
agree() {
	local img=$1 frame=$2 kind=$3 class=$4 max sum
	max=$(jq "del(.[$frame]) | max" "$TMP/w0.json")
	sum=$(jq "del(.[$frame]) | add + $max" "$TMP/w0.json")
	untouched "$img" "$T" check --json "$img"
	[ "$rc" -eq 1 ] && ok "$kind: check rc 1" || bad "$kind: check rc $rc"
	jtrue "$TMP/out" "[.problems[] | select(.frame == $frame and .kind == \"$kind\" and .severity == \"error\")] | length == 1"
	jeq "$TMP/out" .status '"damaged"'
	jeq "$TMP/out" "[.$class, .recovery.$class]" "[1,1]"
	jtrue "$TMP/out" ".recovery.max_seq < $((1 << 60))"
	untouched "$img" "$T" wear --json "$img"
	[ "$rc" -eq 0 ] && ok "$kind: wear rc 0" || bad "$kind: wear rc $rc"
	jeq "$TMP/out" ".frames.$class" 1
	jeq "$TMP/out" "[.wear.max, .wear.sum]" "[$max,$sum]"
	jtrue "$TMP/out" "[.histogram[].frames] | add == $(jq length "$TMP/w0.json")"
	expect 0 "$T" wear "$img"
	expect 0 "$T" format --keep-wear "$img"
	grep -q "wear kept: max $max, total $sum writes (torn entries given the max)" "$TMP/out" &&
		ok "$kind: keep-wear: max $max, total $sum, as wear said" ||
		bad "$kind: keep-wear: $(cat "$TMP/out")"
	jeq <("$FILL" wear "$img") ".[$frame]" "$max"
	expect 0 "$T" check --json "$img"
	jeq "$TMP/out" .status '"clean"'
}

# one all-0xff line, crc wrong: wear died of SIGFPE (its wear 2^64-1
# made the histogram span wrap to 0) and trusted that wear
f=$(forged ones entry-ones used)
untouched "$TMP/ones" "$T" check --json "$TMP/ones"
jeq "$TMP/out" '[.torn, .recovery.torn]' '[1,1]'
untouched "$TMP/ones" "$T" wear --json "$TMP/ones"
[ "$rc" -eq 0 ] && ok "ones: wear rc 0" || bad "ones: wear rc $rc"
jeq "$TMP/out" .frames.torn 1
jeq "$TMP/out" .wear.max "$(jq "del(.[$f]) | max" "$TMP/w0.json")"
expect 0 "$T" wear "$TMP/ones"
grep -q "1 torn and 0 implausible entries, counted at the highest wear known" "$TMP/out" &&
	ok "wear text names the torn entry" || bad "wear text: $(cat "$TMP/out")"

# on a fresh image (min wear 0) the histogram span max - min + 1 was 2^64
for how in entry-ones entry-ones-sealed; do
	new_image "fresh-$how" 1M
	"$FILL" forge "$TMP/fresh-$how" "$how" 0 >/dev/null
	for cmd in "wear" "wear --json" "check"; do
		# shellcheck disable=SC2086
		untouched "$TMP/fresh-$how" "$T" $cmd "$TMP/fresh-$how"
		[ "$rc" -le 1 ] && ok "$how on a fresh image: $cmd rc $rc" ||
			bad "$how on a fresh image: $cmd rc $rc (a crash)"
	done
	expect 0 "$T" wear --json "$TMP/fresh-$how"
	jeq "$TMP/out" '[.wear.min, .wear.max, .wear.sum]' '[0,0,0]'
done

# the same line resealed: key out of range, and wear, seq, vouch seq beyond
# their bounds: implausible, treated as torn
f=$(forged sealed entry-ones-sealed used)
agree "$TMP/sealed" "$f" wear_implausible implausible
f=$(forged sealed entry-ones-sealed used)
expect 1 "$T" check --json "$TMP/sealed"
for k in seq_implausible vouch_seq_implausible; do
	jtrue "$TMP/out" "[.problems[] | select(.frame == $f and .kind == \"$k\")] | length == 1"
done
# jq reads numbers as doubles: look at the digits themselves
for k in seq vouch_seq; do
	grep -q "\"$k\":$U64_MAX" "$TMP/out" && ok "$k $U64_MAX in the JSON" ||
		bad "$k $U64_MAX not in the JSON"
done

# one field at a time, on a used and on a free frame
f=$(forged wear entry-field used wear $U64_MAX)
agree "$TMP/wear" "$f" wear_implausible implausible
f=$(forged seq entry-field used seq $U64_MAX)
agree "$TMP/seq" "$f" seq_implausible implausible
f=$(forged vseq entry-field free vouch_seq $U64_MAX)
agree "$TMP/vseq" "$f" vouch_seq_implausible implausible
f=$(forged seqfree entry-field free seq $((1 << 60)))
agree "$TMP/seqfree" "$f" seq_implausible implausible
# writer ids beyond FSNVM_MAX_WRITERS (1024), free entries too: a free
# entry's vouch is carried forward to the page the balancer moves there
f=$(forged writer entry-field used writer 1025)
agree "$TMP/writer" "$f" bad_writer implausible
f=$(forged vwriter entry-field free vouch_writer 2000)
agree "$TMP/vwriter" "$f" bad_vouch_writer implausible
f=$(forged vwriter entry-field free vouch_writer 2000)
expect 1 "$T" check --json "$TMP/vwriter"
jeq "$TMP/out" "[.problems[] | select(.frame == $f) | .vouch_writer]" "[2000]"
# the bounds themselves are plausible
f=$(forged atmax entry-field free wear $(((1 << 48) - 1)))
"$FILL" forge "$TMP/atmax" entry-field "$f" seq $(((1 << 60) - 1)) >/dev/null
"$FILL" forge "$TMP/atmax" entry-field "$f" vouch_writer 1024 >/dev/null
"$FILL" forge "$TMP/atmax" entry-field "$f" writer 1024 >/dev/null
expect 0 "$T" check --json "$TMP/atmax"
jeq "$TMP/out" '[.status, .implausible]' '["clean",0]'
expect 0 "$T" wear --json "$TMP/atmax"
jeq "$TMP/out" .wear.max $(((1 << 48) - 1))
# a torn entry (crc wrong) agrees the same way
f=$(forged flip entry-flip used)
agree "$TMP/flip" "$f" entry_crc torn

# a format time far in the future is reported; within a day it is not
now=$(date +%s)
forged future super-time $((now + 10 * 365 * 86400)) >/dev/null
untouched "$TMP/future" "$T" check --json "$TMP/future"
[ "$rc" -eq 0 ] && ok "future: check rc 0 (a warning)" || bad "future: check rc $rc"
jeq "$TMP/out" .status '"warnings"'
jeq "$TMP/out" '[.problems[] | [.kind, .where, .severity, .format_time]]' \
	"[[\"format_time\",\"superblock\",\"warning\",$((now + 10 * 365 * 86400))]]"
expect 0 "$T" check "$TMP/future"
grep -q "^superblock: warning: format_time: format time .* seconds in the future" "$TMP/out" &&
	ok "future: text" || bad "future: text: $(cat "$TMP/out")"
forged soon super-time $((now + 3600)) >/dev/null
expect 0 "$T" check --json "$TMP/soon"
jeq "$TMP/out" .status '"clean"'

finish

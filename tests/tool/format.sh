#!/usr/bin/env bash
# format: fresh format, re-format of an empty one, refusal of a format with
# wear (image unchanged), --keep-wear carries every frame's wear over
# (torn entries get the max), --force discards it, an unreadable
# superblock needs --force, the superblock region is clean afterwards.
. "$(dirname "$0")/lib.sh"

img=$TMP/img
head -c 4M /dev/urandom >"$img"	# stale bytes everywhere
expect 0 "$T" format "$img"
expect 0 "$T" check "$img"
cmp -s <(dd if="$img" bs=1 skip=256 count=1792 status=none) <(head -c 1792 /dev/zero) &&
cmp -s <(dd if="$img" bs=1 skip=2304 count=1792 status=none) <(head -c 1792 /dev/zero) &&
	ok "superblock region zeroed around the two copies" || bad "stale bytes in the superblock region"
cmp -s <(head -c 256 "$img") <(dd if="$img" bs=1 skip=2048 count=256 status=none) &&
	ok "the backup superblock at 2048 is the primary's copy" || bad "backup superblock"
jeq <("$FILL" wear "$img") 'map(select(. != 0)) | length' 0
uuid1=$("$T" info --json "$img" | jq -r .uuid)
expect 0 "$T" format "$img"
grep -q discarded "$TMP/out" && bad "re-format of an unworn format discarded wear" ||
	ok "re-format without wear needs no --force"
uuid2=$("$T" info --json "$img" | jq -r .uuid)
[ "$uuid1" != "$uuid2" ] && ok "a new uuid each format" || bad "uuid reused"

# with wear: refused, kept or discarded
"$FILL" fill "$img" 600 --rewrites 30 >/dev/null
"$FILL" wear "$img" >"$TMP/wear-before.json"
max=$(jq max "$TMP/wear-before.json") sum=$(jq add "$TMP/wear-before.json")
refuses 1 "holds a frontswap-nvm format with wear on it (max $max writes per frame); --keep-wear keeps it, --force discards it" \
	"$img" "$T" format "$img"
refuses 1 "holds a frontswap-nvm format with wear" "$img" "$T" format --data-crc "$img"
expect 0 "$T" format --keep-wear "$img"
grep -q "wear kept: max $max, total $sum writes" "$TMP/out" && ok "keep-wear summary" ||
	bad "keep-wear summary: $(cat "$TMP/out")"
"$FILL" wear "$img" >"$TMP/wear-after.json"
cmp -s "$TMP/wear-before.json" "$TMP/wear-after.json" && ok "every frame kept its wear" ||
	bad "wear changed by --keep-wear"
expect 0 "$T" check --json "$img"
jeq "$TMP/out" '[.used, .free, .errors, .warnings]' "[0,$(jq length "$TMP/wear-after.json"),0,0]"
expect 0 "$T" wear --json "$img"
jeq "$TMP/out" '[.wear.max, .wear.sum, .frames.used]' "[$max,$sum,0]"

# a torn entry: its wear is unknown, it gets the highest wear read
"$FILL" fill "$img" 300 >/dev/null
frame=$("$FILL" forge "$img" entry-flip used)
"$FILL" wear "$img" >"$TMP/w1.json"
max=$(jq "del(.[$frame]) | max" "$TMP/w1.json")
expect 0 "$T" format --keep-wear "$img"
grep -q "torn entries given the max" "$TMP/out" && ok "torn entry reported" || bad "torn entry not reported"
"$FILL" wear "$img" >"$TMP/w2.json"
jeq "$TMP/w2.json" ".[$frame]" "$max"
jeq <(jq -c "del(.[$frame])" "$TMP/w1.json") . "$(jq -c "del(.[$frame])" "$TMP/w2.json")"

expect 0 "$T" format --force "$img"
grep -q "discarded wear" "$TMP/out" && ok "--force reports the wear it discards" || bad "--force summary"
jeq <("$FILL" wear "$img") max 0

# copy_byte IMG FROM TO: the byte at FROM written at TO
copy_byte() {
	dd if="$1" bs=1 skip="$2" count=1 status=none |
		dd of="$1" bs=1 seek="$3" conv=notrunc status=none
}

# an unusable superblock of ours: --force only; --keep-wear cannot
"$FILL" fill "$img" 100 >/dev/null
for what in super-version super-incompat super-flip2; do
	cp "$img" "$TMP/$what"
	"$FILL" forge "$TMP/$what" "${what%2}" >/dev/null
	# super-flip2: the same bit flipped in the backup too
	[ "$what" = super-flip2 ] && copy_byte "$TMP/$what" 72 $((2048 + 72))
	refuses 1 "holds a frontswap-nvm superblock that cannot be used" "$TMP/$what" "$T" format "$TMP/$what"
	refuses 1 "cannot keep wear" "$TMP/$what" "$T" format --keep-wear "$TMP/$what"
	expect 0 "$T" format --force "$TMP/$what"
	expect 0 "$T" check "$TMP/$what"
done
# one flipped bit in the primary: the backup keeps the wear history
cp "$img" "$TMP/flip"
"$FILL" wear "$TMP/flip" >"$TMP/wf1.json"
"$FILL" forge "$TMP/flip" super-flip >/dev/null
refuses 1 "holds a frontswap-nvm format with wear on it" "$TMP/flip" "$T" format "$TMP/flip"
expect 0 "$T" format --keep-wear "$TMP/flip"
cmp -s "$TMP/wf1.json" <("$FILL" wear "$TMP/flip") && ok "primary flipped: --keep-wear kept every frame's wear" ||
	bad "primary flipped: wear lost"
expect 0 "$T" check "$TMP/flip"
grep -q "superblock ok, .* (primary and backup good)" "$TMP/out" && ok "format rewrote both copies" ||
	bad "after format: $(head -n 1 "$TMP/out")"

# another size than the superblock says (the device grew): same
cp "$img" "$TMP/grown"
truncate -s +1M "$TMP/grown"
refuses 1 "superblock geometry does not match the device" "$TMP/grown" "$T" format "$TMP/grown"
expect 0 "$T" format --force "$TMP/grown"
expect 0 "$T" info --json "$TMP/grown"
jeq "$TMP/out" .device_bytes $((5 * 1024 * 1024))

# --data-crc sets the feature; a later plain re-format drops it
expect 0 "$T" format --force --data-crc "$img"
grep -q "data crc on" "$TMP/out" && ok "data crc reported" || bad "data crc summary"
jeq <("$T" info --json "$img") .features '["data_crc","backup_sb"]'
expect 0 "$T" format "$img"
jeq <("$T" info --json "$img") .features '["backup_sb"]'

finish

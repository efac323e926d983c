#!/usr/bin/env bash
# Superblock refusals name the field, the value found and the value wanted
# (in info, wear, check, format and in check --json), and info --force
# dumps a damaged superblock field by field, both copies, the field at
# fault marked.  Lies are forged with the crc resealed (the tool's own
# computed_crc), so the damage gets past the checksum.
. "$(dirname "$0")/lib.sh"

img=$TMP/img
truncate -s 1M "$img"
"$T" format "$img" >/dev/null

# put IMG OFFSET BYTES VALUE: little-endian VALUE at OFFSET
put() {
	local i v=$4 s=""
	for ((i = 0; i < $3; i++)); do
		s+=$(printf '\\x%02x' $((v & 255)))
		v=$((v >> 8))
	done
	printf "$s" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# reseal IMG [OFFSET]: the crc of the copy at OFFSET made right again
reseal() {
	local off=${2:-0} c
	c=$("$T" info --force --json "$1" | jq "if $off == 0 then .primary else .backup end | .computed_crc")
	put "$1" $((off + 252)) 4 "$c"
}
# lie NAME OFFSET BYTES VALUE: a copy of img with the field set, resealed
lie() {
	cp "$img" "$TMP/$1"
	put "$TMP/$1" "$2" "$3" "$4"
	reseal "$TMP/$1"
}
# says IMG TEXT: info, wear, check, format refuse with TEXT, nothing written
says() {
	local cmd
	for cmd in info wear check "format --keep-wear"; do
		# shellcheck disable=SC2086
		refuses 1 "$2" "$1" "$T" $cmd "$1"
	done
}

lie frames 72 8 123456
says "$TMP/frames" "superblock geometry does not match the device: nr_frames 123456 does not fit a device of 1048576 bytes: at most 251"
lie frames-low 72 8 7
says "$TMP/frames-low" "nr_frames 7 does not fit a device of 1048576 bytes: expected 251"
lie dataoff 88 8 4096
says "$TMP/dataoff" "data_offset 4096 does not fit a device of 1048576 bytes: expected 20480"
lie devbytes 64 8 2097152
says "$TMP/devbytes" "device_bytes 2097152, but the device has 1048576 bytes (resized since the format?)"
lie page 56 4 8192
says "$TMP/page" "page_size 8192, expected 4096"
lie version 8 4 2
says "$TMP/version" "format version newer than this code: version 2, this code reads version 1"
lie incompat 24 8 4
says "$TMP/incompat" "unknown incompatible feature: incompat 0x4, known 0x1"
# a crc mismatch in both copies: stored and computed crc
cp "$img" "$TMP/crc"
put "$TMP/crc" 252 4 305419896
put "$TMP/crc" $((2048 + 252)) 4 305419896
computed=$("$T" info --force --json "$TMP/crc" | jq -r '.primary.computed_crc')
says "$TMP/crc" "superblock checksum mismatch (corrupt): stored crc 0x12345678, computed 0x$(printf '%08x' "$computed")"
cp "$img" "$TMP/nomagic"
put "$TMP/nomagic" 0 8 0
says "$TMP/nomagic" "not formatted for frontswap-nvm (no magic): magic 0x0000000000000000, expected 0x314d564e53574653"

# check --json: the field and both values, apart from the message
expect 1 "$T" check --json "$TMP/frames"
jeq "$TMP/out" '[.superblock, .problems[0].code, .problems[0].field, .problems[0].found, .problems[0].expected]' \
	'["bad_geometry","superblock_bad_geometry","nr_frames",123456,251]'

# info --force: both copies, field by field, the field at fault marked
untouched "$TMP/frames" "$T" info --force "$TMP/frames"
[ "$rc" -eq 1 ] && ok "info --force on an unusable superblock: rc 1" || bad "info --force rc $rc"
grep -q "^primary superblock at 0: superblock geometry does not match the device: nr_frames 123456" "$TMP/out" &&
	ok "info --force: the primary's problem" || bad "info --force: primary line"
grep -q "^  nr_frames      123456   <- superblock geometry does not match the device: nr_frames 123456 does not fit" "$TMP/out" &&
	ok "info --force: the field marked" || bad "info --force: nr_frames line"
[ "$(grep -c '<-' "$TMP/out")" -eq 1 ] && ok "info --force: one field marked" || bad "marks: $(grep -c '<-' "$TMP/out")"
grep -q "^backup superblock at 2048: ok$" "$TMP/out" && ok "info --force: the backup is good" || bad "info --force: backup line"
grep -q "^  nr_frames      251$" "$TMP/out" && ok "info --force: the backup's nr_frames" || bad "info --force: backup nr_frames"
grep -q "^in use:        neither: the device cannot be used$" "$TMP/out" && ok "info --force: neither used" ||
	bad "info --force: in use"
for f in magic version sb_bytes compat incompat ro_compat uuid page_size entry_bytes stale_below \
	 device_bytes index_offset data_offset format_time crc; do
	[ "$(grep -c "^  $f  " "$TMP/out")" -eq 2 ] || bad "info --force: $f not in both copies"
done
ok "info --force: every field of both copies"
expect 1 "$T" info --force --json "$TMP/frames"
jeq "$TMP/out" '[.superblock, .superblock_copy, .primary.status, .primary.field, .primary.nr_frames, .backup.status, .backup.nr_frames]' \
	'["bad_geometry",null,"bad_geometry","nr_frames",123456,"ok",251]'
jtrue "$TMP/out" '.primary.crc == .primary.computed_crc'
# on a good image: 0, both copies ok, the primary in use
expect 0 "$T" info --force "$img"
[ "$(grep -c "superblock at [0-9]*: ok$" "$TMP/out")" -eq 2 ] && grep -q "^in use:        the primary$" "$TMP/out" &&
	ok "info --force on a good image" || bad "info --force good: $(cat "$TMP/out")"
# a damaged primary, a good backup: usable, 0, the backup in use
cp "$img" "$TMP/flip"
put "$TMP/flip" 72 1 250
expect 0 "$T" info --force "$TMP/flip"
grep -q "^  crc            0x[0-9a-f]*   <- superblock checksum mismatch" "$TMP/out" && grep -q "^in use:        the backup$" "$TMP/out" &&
	ok "info --force: a flipped primary, the backup in use" || bad "info --force flip: $(cat "$TMP/out")"
grep -q "^copies differ: nr_frames$" "$TMP/out" && ok "info --force: the field that differs between the copies" ||
	bad "info --force: differences"
# unformatted: --force still dumps what is there
truncate -s 1M "$TMP/zero"
expect 1 "$T" info --force "$TMP/zero"
grep -q "^primary superblock at 0: not formatted for frontswap-nvm (no magic)" "$TMP/out" &&
	ok "info --force on zeroes" || bad "info --force zeroes"

finish

#!/usr/bin/env bash
# Damaged images: every kind of entry and superblock damage fill_image can
# forge (with valid checksums where the point is the field, not the crc).
# check must exit 1 on errors (0 on warnings only), name the frame and the
# kind in text and in --json, and agree with recovery; info and wear must
# refuse an unusable superblock with one line on stderr; nothing is written.
. "$(dirname "$0")/lib.sh"

base=$TMP/base
truncate -s 4M "$base"
"$T" format "$base" >/dev/null
"$FILL" fill "$base" 600 --rewrites 10 >/dev/null
used=$("$T" check --json "$base" | jq .used)
cp "$base" "$TMP/scratch"
first_used=$("$FILL" forge "$TMP/scratch" entry-reserved used)

# damaged NAME WHAT WHERE RC KIND SEVERITY: forge, then check names it
damaged() {
	local name=$1 what=$2 where=$3 want=$4 kind=$5 sev=$6 img=$TMP/$1 frame
	cp "$base" "$img"
	# shellcheck disable=SC2086
	frame=$("$FILL" forge "$img" $what $where) || { bad "forge $what"; return; }
	untouched "$img" "$T" check --json "$img"
	if [ "$rc" -ne "$want" ]; then bad "$name: check rc $rc, want $want"; return; fi
	ok "$name: check rc $want"
	cp "$TMP/out" "$TMP/$name.json"
	jtrue "$TMP/$name.json" "[.problems[] | select(.frame == $frame and .kind == \"$kind\" and .severity == \"$sev\")] | length == 1"
	# a code per problem for scripts (the kind, or finer: duplicate_key_same_seq)
	jtrue "$TMP/$name.json" "[.problems[] | select(.frame == $frame and (.code == \"$kind\" or .code == \"${kind}_same_seq\"))] | length == 1"
	expect "$want" "$T" check "$img"
	grep -q "^frame $frame: $sev: $kind: " "$TMP/out" && ok "$name: text names frame $frame" ||
		bad "$name: text lacks 'frame $frame: $sev: $kind'"
	echo "    $(grep "^frame $frame" "$TMP/out")"
}

damaged flip entry-flip used 1 entry_crc error
jeq "$TMP/flip.json" .torn 1
jeq "$TMP/flip.json" .recovery.torn 1
jeq "$TMP/flip.json" .used $((used - 1))
expect 0 "$T" wear --json "$TMP/flip"
jeq "$TMP/out" .frames.torn 1
jeq "$TMP/out" .frames.used $((used - 1))
damaged flags entry-flags used 1 unknown_flags error
jeq "$TMP/flags.json" .problems[0].flags 256
damaged range entry-range used 1 key_range error
jeq "$TMP/range.json" .problems[0].offset 1099511627776
damaged badkey entry-badkey used 1 bad_key error
damaged wear entry-wear used 1 wear_implausible error
jeq "$TMP/wear.json" .problems[0].wear 1125899906842624
damaged reserved entry-reserved used 0 entry_reserved warning
jeq "$TMP/reserved.json" .status '"warnings"'
damaged writer entry-writer used 1 bad_writer error
jeq "$TMP/writer.json" .problems[0].writer 1025
# a frame the backend retired: never used again, its page is gone
damaged retired entry-retired used 0 retired warning
jeq "$TMP/retired.json" .retired 1
jeq "$TMP/retired.json" .used $((used - 1))
# an entry no vouch covers (a crash inside its store): the page is dropped
damaged uncommitted entry-uncommitted used 0 uncommitted warning
j=$TMP/uncommitted.json
jeq "$j" .uncommitted 1
jeq "$j" .recovery.uncommitted 1
jeq "$j" .used $((used - 1))
jeq "$j" .problems[0].writer 1024

# a key in two entries: a crash's leftover (warning, higher seq wins) or
# an ambiguous one (error, equal seqs)
damaged dup "dup" free 0 duplicate_key warning
j=$TMP/dup.json
jeq "$j" .duplicates 1
jeq "$j" .recovery.duplicates 1
jeq "$j" .used "$used"
jtrue "$j" '.problems[0] | .seq < .other_seq and .other_frame != .frame'
jeq "$j" .problems[0].other_frame "$first_used"
damaged dupsame "dup-same" free 1 duplicate_key error

# data crc: only an image formatted with --data-crc keeps one
cp "$base" "$TMP/dataflip"
"$FILL" forge "$TMP/dataflip" data-flip used >/dev/null
expect 0 "$T" check --json "$TMP/dataflip"
jeq "$TMP/out" .problems "[]"
cp "$base" "$TMP/crc"
"$T" format --force --data-crc "$TMP/crc" >/dev/null
"$FILL" fill "$TMP/crc" 300 >/dev/null
cp "$TMP/crc" "$base"
damaged datacrc data-flip used 1 data_crc error
jtrue "$TMP/datacrc.json" '.problems[0] | .stored_crc != .computed_crc'

# a warning in the superblock
cp "$base" "$TMP/sres"
"$FILL" forge "$TMP/sres" super-reserved >/dev/null
untouched "$TMP/sres" "$T" check --json "$TMP/sres"
[ "$rc" -eq 0 ] && ok "super-reserved: check rc 0" || bad "super-reserved: check rc $rc"
# (the forge reseals the primary alone: the backup is stale, also a warning)
jtrue "$TMP/out" '.problems == [{"code": "super_reserved", "severity": "warning", "kind": "super_reserved", "where": "superblock", "message": "superblock reserved bytes or ro_compat are not zero"}, {"code": "super_backup_stale", "severity": "warning", "kind": "super_backup", "where": "superblock", "message": "backup superblock at 2048 differs from the primary (a format cut short?); the primary is used and the backend rewrites the backup at bind"}]'
jeq "$TMP/out" '[.status, .superblock, .superblock_copy, .superblock_primary, .superblock_backup]' '["warnings","ok","primary","ok","ok"]'
expect 0 "$T" check "$TMP/sres"
grep -q "^superblock: warning: super_reserved: " "$TMP/out" && ok "super-reserved: text" ||
	bad "super-reserved: text"

# an unusable superblock: every command refuses, one line, nothing written;
# check --json also prints its report (status damaged, the superblock problem)
unusable() {
	local img=$1 text=$2 cmd
	for cmd in info wear check "wear --json" "info --json"; do
		# shellcheck disable=SC2086
		refuses 1 "$text" "$img" "$T" $cmd "$img"
	done
	untouched "$img" "$T" check --json "$img"
	if [ "$rc" -eq 1 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -qF "$text" "$TMP/err" &&
	   [ "$(jq -c '[.status, .errors, .problems[0].kind, .problems[0].message, .superblock_message]' "$TMP/out")" = \
	     "$(jq -nc --arg m "$(sed 's/^fsnvmctl: [^:]*: //' "$TMP/err")" '["damaged", 1, "superblock", $m, $m]')" ] &&
	   [ "$(jq -r '"superblock_" + .superblock == .problems[0].code and .superblock != "ok"' "$TMP/out")" = true ]; then
		ok "check --json: rc 1, the superblock problem in JSON and on stderr"
	else
		bad "check --json on $img: rc $rc, $(cat "$TMP/out")"
	fi
}
bad_super() {
	cp "$base" "$TMP/$1"
	"$FILL" forge "$TMP/$1" "$1" >/dev/null
	unusable "$TMP/$1" "$2"
}
# one flipped bit: the backup superblock stands in, check says which copy
used=$("$T" check --json "$base" | jq .used)
cp "$base" "$TMP/super-flip"
"$FILL" forge "$TMP/super-flip" super-flip >/dev/null
untouched "$TMP/super-flip" "$T" check --json "$TMP/super-flip"
[ "$rc" -eq 0 ] && ok "super-flip: check rc 0 (backup used)" || bad "super-flip: check rc $rc"
jeq "$TMP/out" '[.status, .superblock, .superblock_copy, .superblock_primary, .superblock_backup, .used]' "[\"warnings\",\"ok\",\"backup\",\"bad_crc\",\"ok\",$used]"
jeq "$TMP/out" '[.problems[] | [.code, .severity, .where, .field]]' '[["super_primary_bad_crc","warning","superblock","crc"]]'
expect 0 "$T" check "$TMP/super-flip"
grep -q "superblock ok, .* frames (primary damaged, read from the backup)$" "$TMP/out" &&
	ok "super-flip: text names the copy" || bad "super-flip: $(head -n 1 "$TMP/out")"
grep -q "^superblock: warning: super_primary: primary superblock unusable (superblock checksum mismatch (corrupt): stored crc 0x[0-9a-f]\{8\}, computed 0x[0-9a-f]\{8\}); the backup at 2048 is good" "$TMP/out" &&
	ok "super-flip: the warning names both crcs" || bad "super-flip: warning"
expect 0 "$T" info "$TMP/super-flip"
grep -q "^superblock: .*read from the backup at 2048; primary damaged: superblock checksum mismatch" "$TMP/out" &&
	ok "super-flip: info reads the backup" || bad "super-flip: info"
expect 0 "$T" wear --json "$TMP/super-flip"
jeq "$TMP/out" .frames.used "$used"
# the backup damaged, the primary good
cp "$base" "$TMP/backup-flip"
printf '\x01' | dd of="$TMP/backup-flip" bs=1 seek=$((2048 + 80)) conv=notrunc status=none
untouched "$TMP/backup-flip" "$T" check --json "$TMP/backup-flip"
jeq "$TMP/out" '[.superblock_copy, .superblock_primary, .superblock_backup, .problems[0].code]' '["primary","ok","bad_crc","super_backup_bad_crc"]'
expect 0 "$T" check "$TMP/backup-flip"
grep -q "(primary good, backup damaged)$" "$TMP/out" && ok "backup-flip: text" || bad "backup-flip: text"
# both copies flipped: unusable, the crc line gives stored and computed
cp "$TMP/super-flip" "$TMP/super-flip2"
dd if="$TMP/super-flip2" bs=1 skip=72 count=1 status=none |
	dd of="$TMP/super-flip2" bs=1 seek=$((2048 + 72)) conv=notrunc status=none
stored=$(od -An -tx4 -j252 -N4 "$TMP/super-flip2" | tr -d ' ')
computed=$(printf '%08x' "$("$T" info --force --json "$TMP/super-flip2" | jq .primary.computed_crc)")
[ "$stored" != "$computed" ] && ok "computed crc differs from stored" || bad "crc forge"
unusable "$TMP/super-flip2" "superblock checksum mismatch (corrupt): stored crc 0x$stored, computed 0x$computed"
bad_super super-version "format version newer than this code"
bad_super super-incompat "unknown incompatible feature"
cp "$base" "$TMP/nomagic"
dd if=/dev/zero of="$TMP/nomagic" bs=8 count=1 conv=notrunc status=none
unusable "$TMP/nomagic" "not formatted for frontswap-nvm (no magic)"
cp "$base" "$TMP/trunc"
truncate -s -4096 "$TMP/trunc"
unusable "$TMP/trunc" "superblock geometry does not match the device"
cp "$base" "$TMP/grown"
truncate -s +1M "$TMP/grown"
unusable "$TMP/grown" "superblock geometry does not match the device"
truncate -s 100 "$TMP/tiny"
unusable "$TMP/tiny" "device too small"
: >"$TMP/empty"
unusable "$TMP/empty" "device too small"

# an index wiped with 0xff: every entry torn; text stops at 1000 problems
cp "$base" "$TMP/wiped"
frames=$("$T" info --json "$base" | jq .nr_frames)
head -c $((frames * 64)) /dev/zero | tr '\0' '\377' |
	dd of="$TMP/wiped" bs=4096 seek=1 conv=notrunc status=none
expect 1 "$T" check --json "$TMP/wiped"
jeq "$TMP/out" .errors "$frames"
jeq "$TMP/out" '.problems | length' "$frames"
jeq "$TMP/out" .recovery.torn "$frames"
expect 1 "$T" check "$TMP/wiped"
grep -q "^\.\.\. and $((frames - 1000)) more (--json lists them all)" "$TMP/out" &&
	ok "text output capped at 1000 problems" || bad "text cap"
expect 0 "$T" wear --json "$TMP/wiped"
jeq "$TMP/out" .frames.torn "$frames"

finish

#!/usr/bin/env bash
# A block device (a loop device over an image stands in for /dev/pmemN):
# BLKGETSIZE64, format through a page-cache mapping (msync + fsync), the
# O_EXCL refusal while another holder has it, read-only inspection, and
# no stale page cache while the device is held (as the bound backend does).
# Skipped, saying so, where loop devices cannot be set up.
. "$(dirname "$0")/lib.sh"

img=$TMP/img
truncate -s 4M "$img"
if [ "$(id -u)" -ne 0 ] || ! loop=$(losetup --find --show "$img" 2>"$TMP/err"); then
	echo "skip: no loop device here ($(cat "$TMP/err" 2>/dev/null))"
	finish
	exit
fi
trap 'losetup -d "$loop"; rm -rf "$TMP"' EXIT

expect 0 "$T" format "$loop"
expect 0 "$T" info --json "$loop"
jeq "$TMP/out" '[.kind, .device_bytes, .nr_frames]' '["block",4194304,1007]'
# written through to the backing file
expect 0 "$T" info --json "$img"
jeq "$TMP/out" .nr_frames 1007
"$FILL" fill "$img" 300 >/dev/null
expect 0 "$T" check --json "$loop"
jeq "$TMP/out" '[.status, .used]' '["clean",285]'
expect 0 "$T" wear --json "$loop"
jeq "$TMP/out" .frames.used 285
refuses 1 "holds a frontswap-nvm format with wear" "$img" "$T" format "$loop"

# held exclusively (as a mount or swapon would): format refuses, EBUSY
"$FILL" hold "$loop" 30 >"$TMP/held" &
holder=$!
for _ in $(seq 50); do [ -s "$TMP/held" ] && break; sleep 0.1; done
refuses 1 "Device or resource busy (mounted, used as swap, or bound to the backend?)" "$img" \
	"$T" format --force "$loop"
expect 0 "$T" info "$loop"
kill "$holder"
wait "$holder" 2>/dev/null
expect 0 "$T" format --force "$loop"

# Coherence: the backend writes the namespace through DAX, behind the
# block device's page cache, and holds the device open so that cache is
# not dropped on close.  Here: a holder, a read that fills the cache, then
# a change made through the backing file; the next read must see it.
"$FILL" fill "$img" 100 >/dev/null
"$FILL" hold "$loop" 30 >"$TMP/held2" &
holder=$!
for _ in $(seq 50); do [ -s "$TMP/held2" ] && break; sleep 0.1; done
expect 0 "$T" check "$loop"
frame=$("$FILL" forge "$img" entry-flags used)
expect 1 "$T" check --json "$loop"
jeq "$TMP/out" '[.problems[] | select(.kind == "unknown_flags") | .frame]' "[$frame]"
kill "$holder"
wait "$holder" 2>/dev/null

finish

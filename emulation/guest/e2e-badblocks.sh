#!/bin/sh
# emulation/guest/e2e-badblocks.sh — bad blocks on the namespace's list
# (/sys/block/pmemN/badblocks, as a scrub would add them): those written
# before the bind retire their frames at the bind (the mapping is taken in
# pieces around them, debugfs and `fsnvmctl wear --json` count them), and
# with the small namespace filled, every other frame takes a write while
# the bad ones never do; one written while bound is retired at the next
# bind.  Run on a 64M NVDIMM.
. /guest/lib.sh
. /guest/backend.sh

ram=$(ram_mib)
pmem=$(sh /guest/ns-setup.sh)
name=${pmem#/dev/}
bb=/sys/block/$name/badblocks
fsnvmctl format "$pmem" >/dev/null || die "format failed"
fsnvmctl info --json "$pmem" >/tmp/info.json
idx=$(jnum index_offset </tmp/info.json) data=$(jnum data_offset </tmp/info.json)
frames=$(jnum nr_frames </tmp/info.json)
[ -n "$frames" ] && [ "$frames" -gt 300 ] || die "nr_frames '$frames'"

# Sectors of frame F's data, and of its index entry.
data_sector() { echo $(((data + $1 * 4096) / 512)); }
entry_sector() { echo $(((idx + $1 * 64) / 512)); }
# Frame 10: one sector inside its data.  Frames 100-102: one range over
# their data.  The sector of frame 20's index entry, which holds the
# entries of frames 16-23 (512 / 64): eight frames whose data is fine
# but whose state cannot be kept.  12 frames in all.
echo "$(($(data_sector 10) + 3)) 1" >"$bb"
echo "$(data_sector 100) 24" >"$bb"
echo "$(entry_sector 20) 1" >"$bb"
log "badblocks before the bind: $(tr '\n' ';' <"$bb")"
before=$(dmesg | wc -l)
bind "$pmem" || die "bind with bad blocks failed"
dmesg | tail -n +"$((before + 1))" >/tmp/bind.log
grep -q "12 frames on the badblocks list will not be used" /tmp/bind.log ||
	die "bind did not retire 12 frames: $(cat /tmp/bind.log)"
grep -q "pages behind bad blocks left unmapped" /tmp/bind.log ||
	die "the mapping was not taken around the bad pages: $(cat /tmp/bind.log)"
[ "$(counter frames_bad)" = 12 ] || die "debugfs frames_bad $(counter frames_bad), want 12"
# fsnvmctl reads through the block device's page cache, which fails the
# whole 4 KiB page that holds the bad index sector: it cannot read the
# other entries of that page either, and counts them unreadable (and bad).
page=$(((idx + 20 * 64) / 4096 * 4096))
first=$(((page - idx + 63) / 64)) last=$(((page + 4096 - idx) / 64 - 1))
[ "$first" -ge 0 ] || first=0
# Less those that are bad anyway: 16-23, and a data-bad frame in the page.
hidden=$((last - first + 1 - 8))
for f in 10 100 101 102; do
	[ "$f" -lt "$first" ] || [ "$f" -gt "$last" ] || hidden=$((hidden - 1))
done
wear_bad() {	# prints "bad unreadable"
	fsnvmctl wear --json "$pmem" >/tmp/wear.json || die "fsnvmctl wear failed"
	echo "$(jnum bad </tmp/wear.json) $(jnum unreadable </tmp/wear.json)"
}
[ "$(wear_bad)" = "$((12 + hidden)) $hidden" ] ||
	die "fsnvmctl wear --json: bad, unreadable $(wear_bad), want $((12 + hidden)) $hidden"

# Fill the namespace: every good frame takes at least one write.
swap=$(sh /guest/swap-setup.sh)
memstress --mib $((ram * 2)) --passes 1 || die "memstress: corrupt pages"
[ "$(counter refused_full)" -gt 0 ] || die "the namespace never filled up"
# A bad block found while bound: used until the next bind.
echo "$(data_sector 200) 8" >"$bb"
memstress --mib "$ram" --passes 1 || die "memstress after a new bad block"
swapoff "$swap" || die "swapoff failed"
[ "$(counter frames_bad)" = 12 ] || die "frames_bad changed while bound"

# What the media says (read with the page cache dropped): the bad frames'
# entries were never written (wear 0), the others all were.
echo 3 >/proc/sys/vm/drop_caches
entry_word() {	# frame, word: the entry's 8-byte word, decimal
	dd if="$pmem" bs=64 skip=$(((idx / 64) + $1)) count=1 2>/dev/null |
		od -A n -t u8 -v | tr -s ' \n' ' ' | cut -d' ' -f$(($2 + 2))
}
# (Frame 10's entry shares the page of the bad index sector: unreadable.)
for f in 100 101 102; do
	[ "$(entry_word "$f" 2)" = 0 ] || die "bad frame $f took writes: wear $(entry_word "$f" 2)"
done
wmin=$(fsnvmctl wear --json "$pmem" | tr -d ' \n' | sed -n 's/.*"wear":{"min":\([0-9]*\).*/\1/p')
[ -n "$wmin" ] && [ "$wmin" -ge 1 ] || die "some good frame never took a write (wear min '$wmin')"

# The next bind retires the frame listed while bound.
unbind || die "unbind failed"
bind "$pmem" || die "rebind failed"
[ "$(counter frames_bad)" = 13 ] || die "after the rebind frames_bad $(counter frames_bad), want 13"
[ "$(wear_bad)" = "$((13 + hidden)) $hidden" ] ||
	die "fsnvmctl wear --json after the rebind: $(wear_bad), want $((13 + hidden)) $hidden"
unbind || die "final unbind failed"
echo "E2E-BADBLOCKS: frames=$frames bad_at_bind=12 bad_after_rebind=13 wear_min_good=$wmin stored=$(counter succ_stores) corrupt=0"

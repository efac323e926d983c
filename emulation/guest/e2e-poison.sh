#!/bin/sh
# emulation/guest/e2e-poison.sh — memory errors on the bound namespace,
# injected through the kernel's own path: a physical address written to
# /sys/devices/system/memory/hard_offline_page goes to memory_failure(),
# pmem's pagemap, then dax_holder_notify_failure() to the backend (debug
# kernel: MEMORY_FAILURE).  Three frames holding a process's swapped pages
# and one free frame are hit while the process sleeps: each is retired at
# once (debugfs, and on the media for `fsnvmctl wear --json`), the log
# names each lost page's key, and when the process wakes, exactly those
# pages fail their load (load_errors) and come back wrong (6.1 reads the
# disk slot, which never held them), and nothing else does.  Then
# panic_on_lost_page is checked to be settable.
. /guest/lib.sh
. /guest/backend.sh

hop=/sys/devices/system/memory/hard_offline_page
[ -w "$hop" ] || die "no $hop: this kernel lacks MEMORY_FAILURE (use the debug kernel)"
ram=$(ram_mib)
pmem=$(sh /guest/ns-setup.sh)
name=${pmem#/dev/}
fsnvmctl format "$pmem" >/dev/null || die "format failed"
fsnvmctl info --json "$pmem" >/tmp/info.json
idx=$(jnum index_offset </tmp/info.json) data=$(jnum data_offset </tmp/info.json)
frames=$(jnum nr_frames </tmp/info.json)
# The physical address of the namespace's first byte (the pfn device's).
phys=$(cat "/sys/block/$name/device/resource")
log "namespace at $phys: $frames frames, index at $idx, data at $data"
bind "$pmem" || die "bind failed"
swap=$(sh /guest/swap-setup.sh)

hold /tmp/hold /tmp/ms.out --mib $((ram * 3 / 2)) --passes 1
ms=$held
stored=$(counter frames_used)
[ "$stored" -gt 1000 ] || die "only $stored pages stored"

# Keys of memstress's pages in the backend: its first 4096 pages, from
# /proc/PID/pagemap (swapped: bit 62; type: bits 0-4; offset: bits 5-54),
# as the index spells them (valid bit 63, type << 56, offset).
size=$((ram * 3 / 2 * 1024 * 1024))
start=$(while read -r range rest; do
		[ $((0x${range#*-} - 0x${range%-*})) = "$size" ] && echo "${range%-*}" || :
	done <"/proc/$ms/maps" | head -n 1)
[ -n "$start" ] || die "memstress's mapping not found in /proc/$ms/maps"
dd if="/proc/$ms/pagemap" bs=8 skip=$((0x$start / 4096)) count=4096 2>/dev/null |
	od -A n -t x8 -v | tr -s ' ' '\n' | grep . | while read -r w; do
		v=$((0x$w))
		[ $(((v >> 62) & 1)) = 1 ] || continue
		printf '%016x\n' $(((1 << 63) | (v & 31) << 56 | ((v >> 5) & ((1 << 50) - 1))))
	done >/tmp/mskeys
log "$(wc -l </tmp/mskeys) of memstress's first 4096 pages are in swap"

# The index, read from the media with the page cache dropped: one line
# per frame, "frame key flags-word" (flags in the low 32 bits; bit 0:
# same-filled).
echo 3 >/proc/sys/vm/drop_caches
dd if="$pmem" bs=4096 skip=$((idx / 4096)) count=$(((frames * 64 + 4095) / 4096)) 2>/dev/null |
	od -A n -t x8 -v | tr -s ' ' '\n' | grep . |
	awk '{ w[(NR - 1) % 8] = $1 } NR % 8 == 0 { print NR / 8 - 1, w[0], w[4] }' >/tmp/entries
# Three frames holding memstress's data pages, spread out; one free frame.
awk 'NR == FNR { mine[$1] = 1; next }
     ($2 in mine) && substr($3, 16, 1) ~ /[02468ace]/ { print $1 }' /tmp/mskeys /tmp/entries |
	awk '{ f[NR] = $1 } END { if (NR >= 3) print f[1] "\n" f[int(NR / 2)] "\n" f[NR] }' >/tmp/used
free=$(awk '$2 == "0000000000000000" { print $1; exit }' /tmp/entries)
[ "$(wc -l </tmp/used)" = 3 ] && [ -n "$free" ] ||
	die "could not pick frames: $(wc -l </tmp/entries) entries, $(wc -l </tmp/used) of memstress"
for f in $(cat /tmp/used) "$free"; do
	addr=$((phys + data + f * 4096 + 512))
	log "memory error at $(printf %#x "$addr"): frame $f"
	echo "$addr" >"$hop" || die "hard_offline_page $addr failed"
done
dmesg >/tmp/dmesg
for f in $(cat /tmp/used); do
	grep -q "memory error on frame $f: page of swap type [0-9]* offset [0-9]* lost" /tmp/dmesg ||
		die "no log line naming frame $f's lost page"
done
[ "$(counter frames_poisoned)" = 4 ] || die "frames_poisoned $(counter frames_poisoned), want 4"
[ "$(counter pages_lost)" = 3 ] || die "pages_lost $(counter pages_lost), want 3"
[ "$(counter frames_bad)" = 4 ] || die "frames_bad $(counter frames_bad), want 4"
wbad=$(fsnvmctl wear --json "$pmem" | jnum bad)
[ "$wbad" = 4 ] || die "fsnvmctl wear --json: bad $wbad, want 4 (retirement not on the media)"

# The process wakes and reads everything back.
rm /tmp/hold
wait "$ms" && die "memstress found nothing wrong: the lost pages were served"
corrupt=$(sed -n 's/^memstress: pages=.* corrupt=\([0-9]*\)$/\1/p' /tmp/ms.out)
lerr=$(counter load_errors)
log "memstress: $(tail -n 1 /tmp/ms.out); load_errors=$lerr"
# A lost page still in the swap cache (written out, not yet reclaimed) is
# read from RAM, intact, and never loaded: up to 3 loads fail, and no page
# comes back wrong without a failed load.
[ "$lerr" -ge 1 ] && [ "$lerr" -le 3 ] || die "load_errors $lerr, want 1 to 3"
[ "$corrupt" -ge 1 ] && [ "$corrupt" -le "$lerr" ] ||
	die "$corrupt pages came back wrong, $lerr loads failed"
[ "$(counter pages_lost)" = 0 ] || die "pages_lost $(counter pages_lost) after the process ended"
[ "$(dmesg | grep -c 'memory error reported earlier on load of swap type')" = "$lerr" ] ||
	die "the failed loads were not each logged with their key"
swapoff "$swap" || die "swapoff failed"
[ "$(counter frames_used)" = 0 ] || die "frames left after swapoff"
echo 1 >/sys/module/frontswap_nvm/parameters/panic_on_lost_page || die "panic_on_lost_page not settable"
echo 0 >/sys/module/frontswap_nvm/parameters/panic_on_lost_page
# The next bind keeps the four out.
unbind || die "unbind failed"
bind "$pmem" || die "rebind failed"
[ "$(counter frames_bad)" = 4 ] || die "after the rebind frames_bad $(counter frames_bad), want 4"
unbind
echo "E2E-POISON: stored=$stored poisoned=4 pages_lost=3 load_errors=$lerr corrupt_as_expected=$corrupt bad_after_rebind=4"

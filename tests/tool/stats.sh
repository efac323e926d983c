#!/usr/bin/env bash
# stats: reads the backend's sysfs directory and, without one (or with
# --debugfs), its versioned debugfs file (fake ones here; the real ones are
# tested in QEMU): every counter, in text and JSON, in the kernel's order,
# names it does not know, an unbound device; refuses a newer version, a
# foreign or malformed file or value; says clearly when no backend.
. "$(dirname "$0")/lib.sh"

dbg=$TMP/debug
mkdir -p "$dbg/frontswap_nvm"
f=$dbg/frontswap_nvm/stats
names="succ_stores failed_stores loads invalidates failed_loads invalidate_areas
same_filled duplicate_stores refused_full refused_range refused_unbound load_errors
crc_errors frames_retired migrations balancer_runs data_writes wear_max wear_sum
frames_total frames_used frames_free frames_bad pages_filled"
{
	echo "frontswap-nvm-stats 1"
	echo "device /dev/pmem0"
	i=1
	for n in $names; do
		echo "$n $((i * 1000 + i))"
		i=$((i + 1))
	done
	echo "wear_sum_big 18446744073709551615"
	echo "future_counter 7"
} >"$f"

expect 0 "$T" stats --debugfs "$dbg"
for n in $names device; do
	grep -q "^$n  *[^ ]" "$TMP/out" || bad "text lacks $n"
done
ok "text lists every counter"
grep -q "^device  */dev/pmem0$" "$TMP/out" && ok "text device" || bad "text device"
expect 0 "$T" stats --json --debugfs "$dbg"
j=$TMP/stats.json
cp "$TMP/out" "$j"
jeq "$j" .version 1
jeq "$j" .device '"/dev/pmem0"'
i=1
for n in $names; do
	[ "$(jq ".$n" "$j")" = $((i * 1000 + i)) ] || bad "json $n = $(jq ".$n" "$j")"
	i=$((i + 1))
done
ok "json carries every counter as a number"
jeq "$j" .future_counter 7
# jq 1.6 reads numbers as doubles: look at the text for the full u64
grep -q '"wear_sum_big":18446744073709551615,' "$j" && ok "u64 max kept exactly" || bad "u64 max"
jeq "$j" 'keys | length' 28

# unbound
sed -i 's|^device .*|device -|' "$f"
expect 0 "$T" stats --json --debugfs "$dbg"
jeq "$TMP/out" .device null
expect 0 "$T" stats --debugfs "$dbg"
grep -q "^device  *- (unbound)$" "$TMP/out" && ok "text: unbound" || bad "text: unbound"
# version 2 (events since boot) reads the same
sed -i '1s/.*/frontswap-nvm-stats 2/' "$f"
expect 0 "$T" stats --json --debugfs "$dbg"
jeq "$TMP/out" .version 2

# refusals
cp "$f" "$TMP/good"
sed -i '1s/.*/frontswap-nvm-stats 3/' "$f"
expect_err 1 "$f: stats format version 3 is not supported (this fsnvmctl reads versions 1 to 2)" \
	"$T" stats --debugfs "$dbg"
echo "something else 1" >"$f"
expect_err 1 "$f: not a frontswap-nvm stats file" "$T" stats --debugfs "$dbg"
: >"$f"
expect_err 1 "$f: empty, not a frontswap-nvm stats file" "$T" stats --debugfs "$dbg"
{ echo "frontswap-nvm-stats 1"; echo "loads 3"; echo "loads"; } >"$f"
expect_err 1 "$f:3: malformed line (want 'name value')" "$T" stats --debugfs "$dbg"
{ echo "frontswap-nvm-stats 1"; echo "Bad-Name 3"; } >"$f"
expect_err 1 "$f:2: malformed line" "$T" stats --json --debugfs "$dbg"
{ echo "frontswap-nvm-stats 1"; echo "loads 3"; echo "loads 4"; } >"$f"
expect_err 1 "$f:3: 'loads' appears twice" "$T" stats --debugfs "$dbg"
# every value but device's is an unsigned integer (fsnvmctl-stats(1)):
# not a word, a sign, a fraction, hex, spaces, or more than 64 bits
for v in abc -1 +1 1.5 0x10 "1 2" "12abc" " 7" 18446744073709551616 99999999999999999999999; do
	for json in "" --json; do
		{ echo "frontswap-nvm-stats 2"; echo "device -"; echo "loads $v"; } >"$f"
		# shellcheck disable=SC2086
		expect_err 1 "$f:3: 'loads' value '$v' is not an unsigned 64-bit decimal integer" \
			"$T" stats $json --debugfs "$dbg"
	done
done
{ echo "frontswap-nvm-stats 2"; echo "device /dev/pmem0"; echo "new_counter soon"; } >"$f"
expect_err 1 "$f:3: 'new_counter' value 'soon' is not an unsigned" "$T" stats --debugfs "$dbg"
{ echo "frontswap-nvm-stats 2"; echo "device /dev/pmem 1"; echo "loads 0"; echo "wear_max 18446744073709551615"; } >"$f"
expect 0 "$T" stats --json --debugfs "$dbg"
jeq "$TMP/out" .device '"/dev/pmem 1"'

# no backend
expect_err 1 "fsnvmctl: no frontswap-nvm backend in this kernel (/sys/kernel/mm/frontswap_nvm/device and $TMP/nodebugfs/frontswap_nvm/stats not found; is debugfs mounted?)" \
	"$T" stats --debugfs "$TMP/nodebugfs"
if [ -e /sys/kernel/mm/frontswap_nvm/device ] || [ -e /sys/kernel/debug/frontswap_nvm/stats ]; then
	expect 0 "$T" stats
else
	expect_err 1 "no frontswap-nvm backend in this kernel (/sys/kernel/mm/frontswap_nvm/device and /sys/kernel/debug/frontswap_nvm/stats not found; is debugfs mounted?)" \
		"$T" stats
fi

# sysfs: one value per file, shown in the kernel's order, unknown names
# after the known ones; preferred over debugfs unless --debugfs is given.
sys=$TMP/sysfs
mkdir -p "$sys/stats"
echo /dev/pmem0 >"$sys/device"
i=1
for n in pages_lost wear_mean loads succ_stores frames_total device_gone; do
	echo "$((i * 11))" >"$sys/stats/$n"
	i=$((i + 1))
done
echo 5 >"$sys/stats/zz_new"
echo 6 >"$sys/stats/aa_new"
expect 0 "$T" stats --sysfs "$sys"
order=$(awk '{ print $1 }' "$TMP/out" | tr '\n' ' ')
[ "$order" = "device succ_stores loads frames_total pages_lost wear_mean device_gone aa_new zz_new " ] &&
	ok "sysfs: the kernel's order, then unknown names sorted" || bad "sysfs order: $order"
grep -q "^loads  *33$" "$TMP/out" && ok "sysfs: text value" || bad "sysfs: loads"
expect 0 "$T" stats --json --sysfs "$sys"
jeq "$TMP/out" .device '"/dev/pmem0"'
jeq "$TMP/out" .succ_stores 44
jeq "$TMP/out" .zz_new 5
jeq "$TMP/out" .version 2
: >"$sys/device"
expect 0 "$T" stats --json --sysfs "$sys"
jeq "$TMP/out" .device null
# --debugfs wins over sysfs
cp "$TMP/good" "$f"
expect 0 "$T" stats --json --sysfs "$sys" --debugfs "$dbg"
jeq "$TMP/out" .succ_stores 1001
for v in abc -1 "1 2" 18446744073709551616 ""; do
	printf '%s\n' "$v" >"$sys/stats/loads"
	expect_err 1 "$sys/stats/loads: value '$v' is not an unsigned 64-bit decimal integer" \
		"$T" stats --sysfs "$sys"
done
echo 3 >"$sys/stats/loads"
echo 1 >"$sys/stats/Bad-Name"
expect_err 1 "$sys/stats/Bad-Name: not a counter's name" "$T" stats --sysfs "$sys"
rm "$sys/stats/Bad-Name"
rm -r "$sys/stats"
expect_err 1 "$sys/stats" "$T" stats --sysfs "$sys"
rm -rf "$dbg/frontswap_nvm"
mkdir -p "$dbg/frontswap_nvm/stats"
expect_err 1 "Is a directory" "$T" stats --debugfs "$dbg"

finish
